package main

// sync.Cond: the cond and cond_pingpong groups of bench/SUITE.md (the C
// side is bench/cond.c).

import (
	"fmt"
	"sync"
)

// condWaiters are Go's BenchmarkCond1 ... BenchmarkCond32.
var condWaiters = []int{1, 2, 4, 8, 16, 32}

// benchCond is Go's benchmarkCond (src/sync/cond_test.go), with the rounds
// counted: waiters+1 goroutines each run the loop b.N times; the one that
// makes id waiters+1 resets it and broadcasts, the others wait; the first to
// finish sets id to -1 and broadcasts, and the others stop.  Each round needs
// every goroutine once (sync.Cond has no spurious wake-ups), so a run is
// exactly b.N rounds; per_round = Go's ns/op.  The goroutines start inside
// the timed region, as in Go's benchmark.
func benchCond(waiters int) func(*B) {
	return func(b *B) {
		c := sync.NewCond(&sync.Mutex{})
		done := make(chan bool)
		id := 0
		var rounds int64
		n := b.N
		b.StartTimer()
		for routine := 0; routine < waiters+1; routine++ {
			go func() {
				for i := int64(0); i < n; i++ {
					c.L.Lock()
					if id == -1 {
						c.L.Unlock()
						break
					}
					id++
					if id == waiters+1 {
						id = 0
						rounds++
						c.Broadcast()
					} else {
						c.Wait()
					}
					c.L.Unlock()
				}
				c.L.Lock()
				id = -1
				c.Broadcast()
				c.L.Unlock()
				done <- true
			}()
		}
		for routine := 0; routine < waiters+1; routine++ {
			<-done
		}
		b.StopTimer()
		if rounds != n {
			b.Error("cond/go: %d rounds for %d iterations", rounds, n)
			return
		}
		b.PerItem("per_round", 1)
	}
}

// benchCondPingpong: two goroutines take turns through one Cond and its
// mutex, each waking the other with Signal.  A (the loop) hands the turn to
// B and waits for it back; B holds the mutex except while it waits.  One
// iteration is a round trip.
func benchCondPingpong(b *B) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	turn := 0 // 0: A's, 1: B's, 2: stop
	var turns int64
	done := make(chan struct{})
	go func() {
		mu.Lock()
		for {
			for turn == 0 {
				c.Wait()
			}
			if turn == 2 {
				break
			}
			turn = 0
			turns++
			c.Signal()
		}
		mu.Unlock()
		close(done)
	}()
	b.StartTimer()
	for i := int64(0); i < b.N; i++ {
		mu.Lock()
		turn = 1
		c.Signal()
		for turn == 1 {
			c.Wait()
		}
		mu.Unlock()
	}
	b.StopTimer()
	mu.Lock()
	turn = 2
	c.Signal()
	mu.Unlock()
	<-done
	if turns != b.N {
		b.Error("cond_pingpong/go: %d turns for %d round trips", turns, b.N)
		return
	}
	b.PerItem("per_round_trip", 1)
}

// condFamilies: cond/go/waiters:W/procs:P and cond_pingpong/go/procs:P, P in
// procs (1, and 2 where there are two CPUs, as bench/cond.c).
func condFamilies(procs []int) []*family {
	cond := &family{name: "cond/go"}
	for _, w := range condWaiters {
		for _, p := range procs {
			cond.instances = append(cond.instances, &instance{
				name: fmt.Sprintf("cond/go/waiters:%d/procs:%d", w, p), procs: p, unit: "us",
				fn: benchCond(w)})
		}
	}
	pp := &family{name: "cond_pingpong/go"}
	for _, p := range procs {
		pp.instances = append(pp.instances, &instance{
			name: fmt.Sprintf("cond_pingpong/go/procs:%d", p), procs: p, unit: "ns",
			fn: benchCondPingpong})
	}
	return []*family{cond, pp}
}
