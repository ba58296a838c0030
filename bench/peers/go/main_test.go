package main

import (
	"encoding/json"
	"math"
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
