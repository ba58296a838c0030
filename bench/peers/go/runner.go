package main

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Counter flags, as Google Benchmark's benchmark::Counter (and gbench.h's
// GBENCH_COUNTER_*): applied in the order rate, iteration-invariant,
// per-iteration, invert.
const (
	cRate               = 1 << 0
	cIterationInvariant = 1 << 2
	cAvgIterations      = 1 << 3
	cInvert             = 1 << 4
)

type counter struct {
	value float64
	flags int
}

// B is one run of a benchmark: N iterations.  The function starts the clock
// with StartTimer once its set-up is done and stops it with StopTimer before
// its tear-down; without those calls the whole call is timed.
type B struct {
	N int64

	timing   bool
	used     bool
	t0       time.Time
	cpu0     time.Duration
	real     time.Duration
	cpu      time.Duration
	counters map[string]counter
	err      string

	manual     time.Duration // SetIterationTime's sum
	manualUsed bool
}

// processCPU is the whole process's CPU time (user + system), as Google
// Benchmark's MeasureProcessCPUTime.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (b *B) StartTimer() {
	if !b.timing {
		b.timing, b.used = true, true
		b.cpu0 = processCPU()
		b.t0 = time.Now()
	}
}

func (b *B) StopTimer() {
	if b.timing {
		b.real += time.Since(b.t0)
		b.cpu += processCPU() - b.cpu0
		b.timing = false
	}
}

// SetIterationTime adds one iteration's time, measured by the benchmark
// itself (Google Benchmark's manual time: gbench_set_iteration_time); once
// called, the run's real time is the sum of these.
func (b *B) SetIterationTime(d time.Duration) {
	b.manual += d
	b.manualUsed = true
}

// Counter sets a counter, as gbench_counter.
func (b *B) Counter(name string, value float64, flags int) {
	b.counters[name] = counter{value, flags}
}

// PerItem sets counter name to seconds per item for k items per
// iteration (rate | iteration-invariant | invert).
func (b *B) PerItem(name string, k float64) {
	b.Counter(name, k, cRate|cIterationInvariant|cInvert)
}

// ItemsProcessed is Google Benchmark's SetItemsProcessed: items_per_second.
func (b *B) ItemsProcessed(n float64) { b.Counter("items_per_second", n, cRate) }

// Error fails the run (SkipWithError).
func (b *B) Error(format string, args ...interface{}) {
	b.StopTimer()
	if b.err == "" {
		b.err = fmt.Sprintf(format, args...)
	}
}

type instance struct {
	name  string
	procs int    // GOMAXPROCS for the run; 0 leaves it at the default
	unit  string // ns, us, ms, s
	fn    func(*B)

	familyIndex, instanceIndex int
}

type family struct {
	name      string
	instances []*instance
}

// entry is one element of "benchmarks".
type entry struct {
	name, runName     string
	familyIndex       int
	instanceIndex     int
	aggregate         string // "" for a run of type iteration
	aggregateUnit     string
	repetitions       int
	repetitionIndex   int
	iterations        int64
	realTime, cpuTime float64 // per iteration, in unit
	unit              string
	counters          map[string]float64
	errorOccurred     bool
	errorMessage      string
	realSeconds       float64 // of the whole run (iteration sizing)
}

var unitNS = map[string]float64{"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}

func runOnce(in *instance, iters int64) *B {
	runtime.GC() // every run starts from a collected heap (outside the clock)
	b := &B{N: iters, counters: map[string]counter{}}
	t0, c0 := time.Now(), processCPU()
	in.fn(b)
	if !b.used {
		b.real, b.cpu = time.Since(t0), processCPU()-c0
	}
	b.StopTimer()
	if b.manualUsed {
		b.real = b.manual
	}
	return b
}

func finishCounters(b *B) map[string]float64 {
	secs := b.real.Seconds()
	out := map[string]float64{}
	for k, c := range b.counters {
		v := c.value
		if c.flags&cRate != 0 {
			v /= secs
		}
		if c.flags&cIterationInvariant != 0 {
			v *= float64(b.N)
		}
		if c.flags&cAvgIterations != 0 {
			v /= float64(b.N)
		}
		if c.flags&cInvert != 0 {
			v = 1 / v
		}
		out[k] = v
	}
	return out
}

func makeEntry(in *instance, b *B, reps, rep int) *entry {
	e := &entry{
		name: in.name, runName: in.name,
		familyIndex: in.familyIndex, instanceIndex: in.instanceIndex,
		repetitions: reps, repetitionIndex: rep,
		iterations: b.N, unit: in.unit,
		realSeconds: b.real.Seconds(),
	}
	if b.err != "" {
		e.errorOccurred, e.errorMessage = true, b.err
		e.counters = map[string]float64{}
		return e
	}
	div := float64(b.N) * unitNS[in.unit]
	e.realTime = float64(b.real.Nanoseconds()) / div
	e.cpuTime = float64(b.cpu.Nanoseconds()) / div
	e.counters = finishCounters(b)
	return e
}

const maxIterations = 1000000000

// runInstance is Google Benchmark's BenchmarkRunner: the first repetition
// grows the iteration count until a run lasts min_time (predicting from the
// last run, at most 10x a step), the others reuse that count.
func runInstance(in *instance, o options) []*entry {
	if in.procs > 0 {
		runtime.GOMAXPROCS(in.procs)
	}
	var runs []*entry
	iters := int64(1)
	for rep := 0; rep < o.repetitions; rep++ {
		var e *entry
		for {
			e = makeEntry(in, runOnce(in, iters), o.repetitions, rep)
			if rep > 0 || e.errorOccurred || iters >= maxIterations || e.realSeconds >= o.minTime {
				break
			}
			mult := o.minTime * 1.4 / math.Max(e.realSeconds, 1e-9)
			if e.realSeconds/o.minTime <= 0.1 {
				mult = 10
			}
			next := int64(math.Max(mult*float64(iters), float64(iters+1)))
			if next > maxIterations {
				next = maxIterations
			}
			iters = next
		}
		printEntry(e)
		runs = append(runs, e)
		if e.errorOccurred {
			break
		}
	}
	if o.repetitions > 1 && !runs[len(runs)-1].errorOccurred {
		for _, a := range aggregates(in, runs) {
			printEntry(a)
			runs = append(runs, a)
		}
	}
	return runs
}

// aggregates: _mean, _median, _stddev, _cv over the repetitions, as Google
// Benchmark 1.7 (sample standard deviation; cv = stddev / mean, unit
// "percentage"; iterations = the number of repetitions).
func aggregates(in *instance, runs []*entry) []*entry {
	type stat struct {
		name, unit string
		f          func([]float64) float64
	}
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	}
	median := func(v []float64) float64 {
		c := append([]float64(nil), v...)
		sort.Float64s(c)
		n := len(c)
		if n%2 == 1 {
			return c[n/2]
		}
		return (c[n/2-1] + c[n/2]) / 2
	}
	stddev := func(v []float64) float64 {
		n := float64(len(v))
		if n < 2 {
			return 0
		}
		m := mean(v)
		sq := 0.0
		for _, x := range v {
			sq += (x - m) * (x - m)
		}
		return math.Sqrt(sq / (n - 1))
	}
	cv := func(v []float64) float64 {
		m := mean(v)
		if m == 0 {
			return 0
		}
		return stddev(v) / m
	}
	stats := []stat{{"mean", "time", mean}, {"median", "time", median},
		{"stddev", "time", stddev}, {"cv", "percentage", cv}}

	col := func(get func(*entry) float64) []float64 {
		v := make([]float64, len(runs))
		for i, r := range runs {
			v[i] = get(r)
		}
		return v
	}
	var out []*entry
	for _, s := range stats {
		a := &entry{
			name: in.name + "_" + s.name, runName: in.name,
			familyIndex: in.familyIndex, instanceIndex: in.instanceIndex,
			aggregate: s.name, aggregateUnit: s.unit,
			repetitions: len(runs), iterations: int64(len(runs)), unit: in.unit,
			realTime: s.f(col(func(r *entry) float64 { return r.realTime })),
			cpuTime:  s.f(col(func(r *entry) float64 { return r.cpuTime })),
			counters: map[string]float64{},
		}
		for k := range runs[0].counters {
			a.counters[k] = s.f(col(func(r *entry) float64 { return r.counters[k] }))
		}
		out = append(out, a)
	}
	return out
}

// ---- console (stderr) -------------------------------------------------------

func printHeader(c *context) {
	fmt.Fprintf(os.Stderr, "%s\nRun on (%d X %d MHz CPU s), %s, GOMAXPROCS default %d\n",
		c.date, c.numCPUs, c.mhz, c.goVersion, c.gomaxprocsDefault)
	line := strings.Repeat("-", 100)
	fmt.Fprintf(os.Stderr, "%s\n%-48s %15s %15s %12s\n%s\n", line, "Benchmark", "Time", "CPU", "Iterations", line)
}

// si formats like Google Benchmark's counters: 3 significant figures and an
// SI prefix (106.3n = 106.3e-9).
func si(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprintf("%g", v)
	}
	prefixes := []struct {
		p string
		f float64
	}{{"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"k", 1e3}, {"", 1}, {"m", 1e-3}, {"u", 1e-6}, {"n", 1e-9}, {"p", 1e-12}}
	a := math.Abs(v)
	for _, p := range prefixes {
		if a >= p.f {
			return fmt.Sprintf("%.4g%s", v/p.f, p.p)
		}
	}
	return fmt.Sprintf("%.4g", v)
}

func printEntry(e *entry) {
	if e.errorOccurred {
		fmt.Fprintf(os.Stderr, "%-48s ERROR OCCURRED: '%s'\n", e.name, e.errorMessage)
		return
	}
	var cs []string
	for _, k := range sortedKeys(e.counters) {
		v := e.counters[k]
		if e.aggregate == "cv" {
			cs = append(cs, fmt.Sprintf("%s=%.2f%%", k, v*100))
		} else if k == "items_per_second" {
			cs = append(cs, fmt.Sprintf("%s=%s/s", k, si(v)))
		} else {
			cs = append(cs, fmt.Sprintf("%s=%s", k, si(v)))
		}
	}
	if e.aggregate == "cv" {
		fmt.Fprintf(os.Stderr, "%-48s %14.2f%% %14.2f%% %12d %s\n", e.name,
			e.realTime*100, e.cpuTime*100, e.iterations, strings.Join(cs, " "))
		return
	}
	fmt.Fprintf(os.Stderr, "%-48s %12.4g %-2s %12.4g %-2s %12d %s\n", e.name,
		e.realTime, e.unit, e.cpuTime, e.unit, e.iterations, strings.Join(cs, " "))
}

func sortedKeys(m map[string]float64) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
