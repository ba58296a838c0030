package main

// The preempt group (bench/SUITE.md; bench/preempt.c is the C side):
// asynchronous preemption, Go's since 1.14, which GODEBUG=asyncpreemptoff=1
// turns off.
//
//	preempt/go_tick_late/procs:P   GOMAXPROCS P; P goroutines spin in a loop
//	                               that calls nothing; the benchmark's
//	                               goroutine receives from a 1 ms
//	                               time.Ticker; one iteration = one tick;
//	                               counters late_p50_us, late_p99_us,
//	                               per_tick
//	preempt/go_loop/async:A        in a child process with
//	                               GODEBUG=asyncpreemptoff=1-A: 2 x CPUs
//	                               goroutines at GOMAXPROCS = CPUs each run
//	                               loopUnits units of work(); per_unit
//	preempt/go_loop_alone/async:A  the same with CPUs goroutines
//
// The lateness of a receive, the child protocol and the run (until the
// first goroutine has done its units) are preempt.c's, described there.
// The work loop is written out in the goroutines' body: a call would
// begin with a stack check, where Go preempts cooperatively even with
// asyncpreemptoff=1, and async:0 would not be "off".

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "unsafe" // go:linkname
)

const (
	tickNS          = int64(time.Millisecond)
	loopUnits       = 500000
	unitsPerStore   = 16
	preemptChildArg = "--preempt-child="
	resultFD        = 3
)

// nanotime is the runtime's monotonic clock (time.Now's): nosplit, so a call
// of it is no cooperative preemption point, unlike time.Now's own prologue.
//
//go:linkname nanotime runtime.nanotime
func nanotime() int64

// asyncPreemptOff: GODEBUG turns asynchronous preemption off in this process.
func asyncPreemptOff() bool {
	for _, kv := range strings.Split(os.Getenv("GODEBUG"), ",") {
		if strings.TrimSpace(kv) == "asyncpreemptoff=1" {
			return true
		}
	}
	return false
}

// ---- preempt/go_tick_late/procs:P ----------------------------------------------

var spinSink atomic.Uint64

func spinner(stop *atomic.Bool, wg *sync.WaitGroup) {
	var n uint64
	for !stop.Load() {
		n++
	}
	spinSink.Add(n)
	wg.Done()
}

func floorDiv(a, b int64) int64 {
	if a >= 0 {
		return a / b
	}
	return -((-a + b - 1) / b)
}

// tickIndex is preempt.c's tick_index: the tick a receive is counted
// against, from the previous one, the previous receive's time and the value
// received (all relative to the ticker's start).
func tickIndex(kPrev, rPrev, v int64) int64 {
	kVal := floorDiv(v, tickNS)
	kReady := floorDiv(rPrev, tickNS) + 1
	k := kVal
	if kReady < k {
		k = kReady
	}
	if k < kPrev+1 {
		k = kPrev + 1
	}
	return k
}

// quantile: nearest rank over sorted samples.
func quantile(sorted []int64, q float64) int64 {
	n := len(sorted)
	i := int(q*float64(n)+0.999999) - 1
	if i < 0 {
		i = 0
	}
	if i >= n {
		i = n - 1
	}
	return sorted[i]
}

func benchTickLate(b *B) {
	if asyncPreemptOff() {
		b.Error("GODEBUG=asyncpreemptoff=1: the spinners would never give way")
		return
	}
	procs := runtime.GOMAXPROCS(0)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(procs)
	for i := 0; i < procs; i++ {
		go spinner(&stop, &wg)
	}
	late := make([]int64, 0, b.N)
	t0 := time.Now()
	tk := time.NewTicker(time.Millisecond)
	var k, r int64
	b.StartTimer()
	for i := int64(0); i < b.N; i++ {
		v := <-tk.C
		now := int64(time.Since(t0))
		k = tickIndex(k, r, int64(v.Sub(t0)))
		r = now
		late = append(late, r-k*tickNS)
	}
	b.StopTimer()
	tk.Stop()
	stop.Store(true)
	wg.Wait()
	sort.Slice(late, func(i, j int) bool { return late[i] < late[j] })
	b.Counter("late_p50_us", float64(quantile(late, 0.50))/1e3, 0)
	b.Counter("late_p99_us", float64(quantile(late, 0.99))/1e3, 0)
	b.PerItem("per_tick", 1)
}

// ---- preempt/go_loop*: the child's side -------------------------------------------

type loopSlot struct {
	units atomic.Uint64
	sink  atomic.Uint64
	_     [48]byte // one cache line each
}

type loopRun struct {
	slots    []loopSlot
	stop     atomic.Bool
	finished atomic.Int32
	tEnd     int64 // nanotime()
	unitsEnd uint64
	first    chan struct{}
	wg       sync.WaitGroup
}

func loopWorker(run *loopRun, w *loopSlot, seed uint64) {
	x, n := seed, uint64(0)
	for n < loopUnits && !run.stop.Load() {
		for i := 0; i < unitsPerStore; i++ {
			for j := 0; j < 32; j++ { // work(x), written out
				x ^= x >> 12
				x ^= x << 25
				x ^= x >> 27
				x *= 2685821657736338717
			}
		}
		n += unitsPerStore
		w.units.Store(n)
		w.sink.Store(x)
	}
	if n >= loopUnits {
		// The clock and the counters first, with no call that could be a
		// preemption point (nanotime is nosplit: no stack check), then the
		// race to be first.
		t := nanotime()
		var total uint64
		for i := range run.slots {
			total += run.slots[i].units.Load()
		}
		if run.finished.CompareAndSwap(0, 1) {
			run.tEnd, run.unitsEnd = t, total
			run.stop.Store(true)
			run.first <- struct{}{}
		}
	}
	run.wg.Done()
}

// preemptChild runs "G,RUNS" runs and writes a line per run on fd 3:
// seconds units cpu_seconds preemptions (Go does not count them: 0).
func preemptChild(spec string) int {
	parts := strings.Split(spec, ",")
	if len(parts) != 2 {
		fmt.Fprintf(os.Stderr, "gopeer: bad %s%s\n", preemptChildArg, spec)
		return 2
	}
	g, err1 := strconv.Atoi(parts[0])
	runs, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || g < 1 || runs < 1 {
		fmt.Fprintf(os.Stderr, "gopeer: bad %s%s\n", preemptChildArg, spec)
		return 2
	}
	runtime.GOMAXPROCS(runtime.NumCPU())
	out := bufio.NewWriter(os.NewFile(resultFD, "results"))
	slots := make([]loopSlot, g)
	for r := 0; r < runs; r++ {
		run := &loopRun{slots: slots, first: make(chan struct{}, 1)}
		for i := range slots {
			slots[i].units.Store(0)
		}
		runtime.GC() // nothing is allocated while the goroutines run
		c0 := processCPU()
		t0 := nanotime()
		run.wg.Add(g)
		for i := 0; i < g; i++ {
			go loopWorker(run, &slots[i], uint64(r*g+i+1))
		}
		<-run.first
		c1 := processCPU()
		run.wg.Wait()
		fmt.Fprintf(out, "%.9f %d %.9f 0\n", float64(run.tEnd-t0)/1e9, run.unitsEnd, (c1 - c0).Seconds())
		if err := out.Flush(); err != nil {
			fmt.Fprintf(os.Stderr, "gopeer: %v\n", err)
			return 1
		}
	}
	return 0
}

// ---- preempt/go_loop*: the parent's side ------------------------------------------

// childEnv is this process's environment with GODEBUG's asyncpreemptoff
// set to 1 - async (other GODEBUG settings kept).
func childEnv(async int) []string {
	setting := fmt.Sprintf("asyncpreemptoff=%d", 1-async)
	var env []string
	godebug := setting
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GODEBUG=") {
			v := strings.TrimPrefix(kv, "GODEBUG=")
			var keep []string
			for _, s := range strings.Split(v, ",") {
				if s != "" && !strings.HasPrefix(strings.TrimSpace(s), "asyncpreemptoff=") {
					keep = append(keep, s)
				}
			}
			godebug = strings.Join(append(keep, setting), ",")
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GODEBUG="+godebug)
}

func benchLoop(perCPU, async int) func(*B) {
	return func(b *B) {
		exe, err := os.Executable()
		if err != nil {
			b.Error("cannot find this program: %v", err)
			return
		}
		rd, wr, err := os.Pipe()
		if err != nil {
			b.Error("pipe: %v", err)
			return
		}
		cmd := exec.Command(exe, fmt.Sprintf("%s%d,%d", preemptChildArg, perCPU*runtime.NumCPU(), b.N))
		cmd.Env = childEnv(async)
		cmd.ExtraFiles = []*os.File{wr} // fd 3
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			rd.Close()
			wr.Close()
			b.Error("cannot start the child: %v", err)
			return
		}
		wr.Close()
		in := bufio.NewScanner(rd)
		var units uint64
		var seconds, cpu float64
		got := int64(0)
		b.StartTimer()
		for ; got < b.N; got++ {
			var s, c float64
			var u uint64
			var p int64
			if !in.Scan() {
				break
			}
			if n, _ := fmt.Sscanf(in.Text(), "%g %d %g %d", &s, &u, &c, &p); n != 4 {
				break
			}
			b.SetIterationTime(time.Duration(s * 1e9))
			seconds, cpu, units = seconds+s, cpu+c, units+u
		}
		b.StopTimer()
		rd.Close()
		werr := cmd.Wait()
		if werr != nil || got < b.N || units == 0 {
			b.Error("the child failed or ended without its results (%d of %d runs): %v", got, b.N, werr)
			return
		}
		b.Counter("per_unit", float64(units), cRate|cInvert)
		b.Counter("cpu_per_real", cpu/seconds, 0)
		b.ItemsProcessed(float64(units))
	}
}

func preemptFamilies(procsList []int) []*family {
	tick := &family{name: "preempt/go_tick_late"}
	for _, p := range procsList {
		tick.instances = append(tick.instances, &instance{
			name: fmt.Sprintf("preempt/go_tick_late/procs:%d", p), procs: p, unit: "us", fn: benchTickLate})
	}
	fams := []*family{tick}
	for _, l := range []struct {
		name   string
		perCPU int
	}{{"preempt/go_loop", 2}, {"preempt/go_loop_alone", 1}} {
		f := &family{name: l.name}
		for _, a := range []int{1, 0} {
			f.instances = append(f.instances, &instance{
				name: fmt.Sprintf("%s/async:%d", l.name, a), unit: "ms", fn: benchLoop(l.perCPU, a)})
		}
		fams = append(fams, f)
	}
	return fams
}
