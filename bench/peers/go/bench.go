package main

// The workloads of bench/SUITE.md, in Go.  Every benchmark times its loop
// with wall-clock time (B.StartTimer / B.StopTimer around the iterations,
// set-up and tear-down outside) and reports its primary figure as the
// counter SUITE.md names, in seconds per item.

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// sink keeps results alive so that the compiler keeps the work.
var sink uint64

// ---- spawn, spawn_batch: go + WaitGroup ---------------------------------------

const spawnBatch = 1000

// The spawned function takes no arguments (a package-level WaitGroup): a
// `go f(&wg)` would allocate a closure per goroutine, which gort's
// gort_go(fn, arg) does not.
var spawnWG sync.WaitGroup

func spawnTask() { spawnWG.Done() }

func benchSpawn(b *B) {
	b.StartTimer()
	for i := int64(0); i < b.N; i++ {
		spawnWG.Add(1)
		go spawnTask()
		spawnWG.Wait()
	}
	b.StopTimer()
	b.ItemsProcessed(float64(b.N))
	b.PerItem("per_task", 1)
}

func benchSpawnBatch(b *B) {
	b.StartTimer()
	for i := int64(0); i < b.N; i++ {
		spawnWG.Add(spawnBatch)
		for j := 0; j < spawnBatch; j++ {
			go spawnTask()
		}
		spawnWG.Wait()
	}
	b.StopTimer()
	b.ItemsProcessed(float64(b.N * spawnBatch))
	b.PerItem("per_task", spawnBatch)
}

// ---- yield: two goroutines on one P, runtime.Gosched --------------------------

// One iteration: the loop's goroutine yields once, the partner runs and
// yields once back (2 switches).  GOMAXPROCS is 1 (the instance's procs).
func benchYield(b *B) {
	var stop atomic.Bool
	started, done := make(chan struct{}), make(chan struct{})
	go func() {
		close(started)
		for !stop.Load() {
			runtime.Gosched()
		}
		close(done)
	}()
	<-started
	b.StartTimer()
	for i := int64(0); i < b.N; i++ {
		runtime.Gosched()
	}
	b.StopTimer()
	stop.Store(true)
	<-done
	b.PerItem("per_switch", 2)
}

// ---- pingpong: a round trip over two channels ---------------------------------

// A (the loop) sends on ping, B sends it back on pong; B lives across the
// iterations.  capacity 0: unbuffered, 1: buffered1.
func benchPingpong(capacity int) func(*B) {
	return func(b *B) {
		ping, pong := make(chan int64, capacity), make(chan int64, capacity)
		go func() {
			for v := range ping {
				pong <- v + 1
			}
			close(pong)
		}()
		var v int64
		b.StartTimer()
		for i := int64(0); i < b.N; i++ {
			ping <- v
			v = <-pong
		}
		b.StopTimer()
		close(ping)
		for range pong {
		}
		if v != b.N {
			b.Error("pingpong: %d round trips counted, want %d", v, b.N)
		}
		b.PerItem("per_round_trip", 1)
	}
}

// ---- pool: 4 workers, a buffered channel of 256 jobs --------------------------

const (
	poolWorkers = 4
	poolQueue   = 256
	poolJobs    = 1000000
)

// work is SUITE.md's job: 64-bit unsigned arithmetic, the same as in C.
func work(x uint64) uint64 {
	for i := 0; i < 32; i++ {
		x ^= x >> 12
		x ^= x << 25
		x ^= x >> 27
		x *= 2685821657736338717
	}
	return x
}

var (
	poolWantOnce sync.Once
	poolWant     uint64
)

// poolExpected is the total of work(0 .. jobs-1), computed once, serially.
func poolExpected() uint64 {
	poolWantOnce.Do(func() {
		for i := 0; i < poolJobs; i++ {
			poolWant += work(uint64(i))
		}
	})
	return poolWant
}

// One iteration is one whole run of the pool: the workers start, the
// producer (this goroutine) sends jobs 0 .. jobs-1, closes the queue and
// waits for the workers, then adds their sums (checked against the serial
// total).
func benchPool(b *B) {
	want := poolExpected()
	var sums [poolWorkers]struct {
		v uint64
		_ [56]byte // one cache line each
	}
	b.StartTimer()
	for it := int64(0); it < b.N; it++ {
		q := make(chan int, poolQueue)
		var wg sync.WaitGroup
		wg.Add(poolWorkers)
		for w := 0; w < poolWorkers; w++ {
			go func(w int) {
				var s uint64
				for j := range q {
					s += work(uint64(j))
				}
				sums[w].v = s
				wg.Done()
			}(w)
		}
		for i := 0; i < poolJobs; i++ {
			q <- i
		}
		close(q)
		wg.Wait()
		var total uint64
		for w := range sums {
			total += sums[w].v
		}
		sink += total
		if total != want {
			b.Error("wrong total of the jobs: %d, want %d", total, want)
			return
		}
	}
	b.StopTimer()
	b.ItemsProcessed(float64(b.N * poolJobs))
	b.PerItem("per_job", poolJobs)
}

// ---- chan_throughput: K producers, K consumers, one channel of 128 ------------

const (
	chanItems = 1000000
	chanCap   = 128
)

func benchChanThroughput(pairs int) func(*B) {
	per := chanItems / pairs
	return func(b *B) {
		want := int64(pairs) * int64(per) * int64(per-1) / 2
		sums := make([]int64, pairs)
		b.StartTimer()
		for it := int64(0); it < b.N; it++ {
			q := make(chan int64, chanCap)
			var prod, cons sync.WaitGroup
			prod.Add(pairs)
			cons.Add(pairs)
			for k := 0; k < pairs; k++ {
				go func(k int) {
					var s int64
					for v := range q {
						s += v
					}
					sums[k] = s
					cons.Done()
				}(k)
				go func() {
					for i := 0; i < per; i++ {
						q <- int64(i)
					}
					prod.Done()
				}()
			}
			prod.Wait()
			close(q)
			cons.Wait()
			var total int64
			for _, s := range sums {
				total += s
			}
			if total != want {
				b.Error("chan_throughput: received total %d, want %d", total, want)
				return
			}
		}
		b.StopTimer()
		b.PerItem("per_item", float64(per*pairs))
	}
}

// ---- select: one receiver over C unbuffered channels --------------------------

const selectValues = 100000

// Each sender sends its share, selectValues / C values (C divides it), so
// that exactly selectValues arrive and every sender ends by itself.
func selectSender(c chan int64, n int) {
	for i := 0; i < n; i++ {
		c <- 1
	}
}

func recv2(c []chan int64, n int) int64 {
	c0, c1 := c[0], c[1]
	var sum, v int64
	for got := 0; got < n; got++ {
		select {
		case v = <-c0:
		case v = <-c1:
		}
		sum += v
	}
	return sum
}

func recv8(c []chan int64, n int) int64 {
	c0, c1, c2, c3, c4, c5, c6, c7 := c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]
	var sum, v int64
	for got := 0; got < n; got++ {
		select {
		case v = <-c0:
		case v = <-c1:
		case v = <-c2:
		case v = <-c3:
		case v = <-c4:
		case v = <-c5:
		case v = <-c6:
		case v = <-c7:
		}
		sum += v
	}
	return sum
}

func benchSelect(cases int) func(*B) {
	recv := map[int]func([]chan int64, int) int64{2: recv2, 8: recv8}[cases]
	return func(b *B) {
		b.StartTimer()
		for it := int64(0); it < b.N; it++ {
			chans := make([]chan int64, cases)
			for i := range chans {
				chans[i] = make(chan int64)
				go selectSender(chans[i], selectValues/cases)
			}
			if got := recv(chans, selectValues); got != selectValues {
				b.Error("select: %d values summed, want %d", got, selectValues)
				return
			}
		}
		b.StopTimer()
		b.PerItem("per_select", selectValues)
	}
}

// ---- timers: n goroutines each sleep 1 ms ten times ---------------------------

const (
	timerTasks  = 100000
	timerSleeps = 10
)

var timerWG sync.WaitGroup

func timerTask() {
	for i := 0; i < timerSleeps; i++ {
		time.Sleep(time.Millisecond)
	}
	timerWG.Done()
}

func benchTimers(b *B) {
	b.StartTimer()
	for it := int64(0); it < b.N; it++ {
		timerWG.Add(timerTasks)
		for i := 0; i < timerTasks; i++ {
			go timerTask()
		}
		timerWG.Wait()
	}
	b.StopTimer()
	b.PerItem("per_sleep", timerTasks*timerSleeps)
}

// ---- skynet -------------------------------------------------------------------

const (
	skynetSize  = 1000000
	skynetNodes = 1111111 // every node of the tree: 1 + 10 + ... + 10^6
	skynetSum   = 499999500000
)

// skynet: a node of size 1 sends its number to its parent; a larger node
// starts 10 children of size/10 (child i numbered num + i*size/10), adds up
// their 10 replies on its own unbuffered channel and sends the sum.
func skynet(parent chan<- int64, num, size int64) {
	if size == 1 {
		parent <- num
		return
	}
	c := make(chan int64)
	sub := size / 10
	for i := int64(0); i < 10; i++ {
		go skynet(c, num+i*sub, sub)
	}
	var sum int64
	for i := 0; i < 10; i++ {
		sum += <-c
	}
	parent <- sum
}

func benchSkynet(b *B) {
	b.StartTimer()
	for it := int64(0); it < b.N; it++ {
		root := make(chan int64)
		go skynet(root, 0, skynetSize)
		if got := <-root; got != skynetSum {
			b.Error("skynet: sum %d, want %d", got, int64(skynetSum))
			return
		}
	}
	b.StopTimer()
	b.PerItem("per_goroutine", skynetNodes)
}

// ---- the catalogue --------------------------------------------------------------

func families() []*family {
	cpus := runtime.NumCPU()
	// 1, 2, 4, ... below the CPU count, then the CPU count (bench/common.h's
	// bench_procs_list, so that the C and Go instances line up).
	var procsList []int
	for p := 1; p < cpus; p *= 2 {
		procsList = append(procsList, p)
	}
	procsList = append(procsList, cpus)
	perProcs := func(name, unit string, procs []int, fn func(*B)) *family {
		f := &family{name: name}
		for _, p := range procs {
			f.instances = append(f.instances, &instance{
				name: fmt.Sprintf("%s/procs:%d", name, p), procs: p, unit: unit, fn: fn})
		}
		return f
	}
	pingProcs := []int{1}
	if cpus >= 2 {
		pingProcs = append(pingProcs, 2)
	}
	chanFam := &family{name: "chan_throughput/go"}
	for _, k := range []int{1, 2, 4} {
		chanFam.instances = append(chanFam.instances, &instance{
			name: fmt.Sprintf("chan_throughput/go/pairs:%d", k), procs: cpus, unit: "ms",
			fn: benchChanThroughput(k)})
	}
	selFam := &family{name: "select/go"}
	for _, c := range []int{2, 8} {
		selFam.instances = append(selFam.instances, &instance{
			name: fmt.Sprintf("select/go/cases:%d", c), procs: 1, unit: "ms",
			fn: benchSelect(c)})
	}
	return append([]*family{
		perProcs("spawn/go", "ns", procsList, benchSpawn),
		perProcs("spawn_batch/go", "us", procsList, benchSpawnBatch),
		{name: "yield/go", instances: []*instance{{name: "yield/go", procs: 1, unit: "ns", fn: benchYield}}},
		perProcs("pingpong/go_unbuffered", "ns", pingProcs, benchPingpong(0)),
		perProcs("pingpong/go_buffered1", "ns", pingProcs, benchPingpong(1)),
		perProcs(fmt.Sprintf("pool/go/jobs:%d", poolJobs), "ms", procsList, benchPool),
		chanFam,
		selFam,
		{name: "timers/go", instances: []*instance{{
			name: fmt.Sprintf("timers/go/n:%d", timerTasks), procs: cpus, unit: "ms", fn: benchTimers}}},
		perProcs("skynet/go", "ms", procsList, benchSkynet),
	}, append(condFamilies(pingProcs), preemptFamilies(procsList)...)...)
}
