package main

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// The values of bench/pool.c's work() (computed with gcc).
func TestWorkMatchesC(t *testing.T) {
	if got := work(1); got != 9903742518198343200 {
		t.Errorf("work(1) = %d", got)
	}
	if got := poolExpected(); got != 4196935741229223069 {
		t.Errorf("sum of work(0 .. 999999) = %d", got)
	}
}

func TestSkynetSmall(t *testing.T) {
	c := make(chan int64)
	go skynet(c, 0, 1000)
	if got := <-c; got != 499500 {
		t.Errorf("skynet(1000) = %d", got)
	}
}

func TestWorkloadsOneIteration(t *testing.T) {
	sel, err := selectInstances(families(), "yield|pingpong|select|chan_throughput/go/pairs:4")
	if err != nil || len(sel) == 0 {
		t.Fatal(err, len(sel))
	}
	for _, in := range sel {
		b := runOnce(in, 2)
		if b.err != "" || b.real <= 0 || len(b.counters) == 0 {
			t.Errorf("%s: err %q, real %v, counters %v", in.name, b.err, b.real, b.counters)
		}
	}
}

func TestFilterIndices(t *testing.T) {
	sel, err := selectInstances(families(), "^(yield|pingpong/go_buffered1/procs:1)")
	if err != nil || len(sel) != 2 {
		t.Fatal(err, len(sel))
	}
	if sel[0].familyIndex != 0 || sel[1].familyIndex != 1 || sel[1].instanceIndex != 0 {
		t.Errorf("indices: %+v %+v", *sel[0], *sel[1])
	}
}

func TestAggregatesAndJSON(t *testing.T) {
	in := &instance{name: "x/go", unit: "ns"}
	var runs []*entry
	for i, v := range []float64{1, 2, 6} {
		runs = append(runs, &entry{name: in.name, runName: in.name, repetitions: 3,
			repetitionIndex: i, iterations: 10, realTime: v, cpuTime: v, unit: "ns",
			counters: map[string]float64{"per_x": v * 1e-9}})
	}
	agg := aggregates(in, runs)
	want := map[string]float64{"mean": 3, "median": 2, "stddev": math.Sqrt(7), "cv": math.Sqrt(7) / 3}
	for _, a := range agg {
		if math.Abs(a.realTime-want[a.aggregate]) > 1e-12 || a.name != "x/go_"+a.aggregate {
			t.Errorf("%s: %v, want %v", a.name, a.realTime, want[a.aggregate])
		}
	}
	failed := &entry{name: "y/go", runName: "y/go", repetitions: 1, iterations: 1, unit: "ns",
		errorOccurred: true, errorMessage: `bad "sum"`, counters: map[string]float64{}}
	js := renderJSON(newContext(), append(append(runs, agg...), failed))
	var doc struct {
		Benchmarks []map[string]interface{} `json:"benchmarks"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	if len(doc.Benchmarks) != 8 || doc.Benchmarks[7]["error_occurred"] != true ||
		doc.Benchmarks[7]["error_message"] != `bad "sum"` || doc.Benchmarks[3]["run_type"] != "aggregate" {
		t.Errorf("%s", js)
	}
}

// preempt.c's tick_index and this tickIndex count a receive against the
// same tick (bench/preempt.c's header comment); times in ms from the start.
func TestTickIndex(t *testing.T) {
	ms := tickNS
	cases := []struct {
		name                  string
		kPrev, rPrev, v, want int64
	}{
		{"on time", 3, 3*ms + 20000, 4*ms + 5000, 4},
		{"fired 5.5 ms late: counts from the first tick due after the last receive", 0, 0, 6*ms + 500000, 1},
		{"buffered while the receiver waited to run", 1, 3*ms + 600000, 3*ms + 500000, 3},
		{"ticks skipped by the ticker", 1, 3*ms + 500000, 4*ms + 1000, 4},
		{"never the same tick twice", 4, 4*ms + 100, 4*ms + 50, 5},
	}
	for _, c := range cases {
		if got := tickIndex(c.kPrev, c.rPrev, c.v); got != c.want {
			t.Errorf("%s: tick %d, want %d", c.name, got, c.want)
		}
	}
	if floorDiv(-1, ms) != -1 || floorDiv(-ms, ms) != -1 || floorDiv(ms-1, ms) != 0 {
		t.Errorf("floorDiv")
	}
	s := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if quantile(s, 0.5) != 5 || quantile(s, 0.99) != 10 || quantile(s[:1], 0.99) != 1 {
		t.Errorf("quantile")
	}
}

func TestChildEnv(t *testing.T) {
	t.Setenv("GODEBUG", "madvdontneed=1,asyncpreemptoff=0")
	var got []string
	for _, kv := range childEnv(0) {
		if strings.HasPrefix(kv, "GODEBUG=") {
			got = append(got, kv)
		}
	}
	if len(got) != 1 || got[0] != "GODEBUG=madvdontneed=1,asyncpreemptoff=1" {
		t.Errorf("childEnv(0): %v", got)
	}
	t.Setenv("GODEBUG", "")
	os.Unsetenv("GODEBUG")
	env := childEnv(1)
	if env[len(env)-1] != "GODEBUG=asyncpreemptoff=0" {
		t.Errorf("childEnv(1): %v", env[len(env)-1])
	}
}

func TestPreemptNames(t *testing.T) {
	sel, err := selectInstances(families(), "^preempt/")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, in := range sel {
		names[in.name] = true
	}
	for _, n := range []string{"preempt/go_tick_late/procs:1", "preempt/go_loop/async:1", "preempt/go_loop/async:0",
		"preempt/go_loop_alone/async:1", "preempt/go_loop_alone/async:0"} {
		if !names[n] {
			t.Errorf("%s missing from %v", n, names)
		}
	}
}

// The cond groups: a few iterations each, the rounds checked by the
// benchmarks themselves (exactly one per iteration).
func TestCondOneIteration(t *testing.T) {
	sel, err := selectInstances(families(), "^cond")
	if err != nil || len(sel) == 0 {
		t.Fatal(err, len(sel))
	}
	for _, in := range sel {
		b := runOnce(in, 50)
		if b.err != "" || b.real <= 0 || len(b.counters) == 0 {
			t.Errorf("%s: err %q, real %v, counters %v", in.name, b.err, b.real, b.counters)
		}
	}
}
