package main

// memory/go/n:N (gopeer --memory N, one fresh process per N): start N
// goroutines that each block receiving on a channel, measure RSS, release
// them and wait for them.  bytes_per_task = (RSS with N parked - RSS
// before) / N, RSS from /proc/self/statm (resident pages x page size);
// page_table_bytes_per_task the same for VmPTE (/proc/self/status), the
// page tables, which RSS leaves out (as bench/memory.c reports for gort).

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Package-level, so that `go memTask()` captures nothing: no closure is
// allocated per goroutine, only the goroutine itself is measured.
var (
	memRelease chan struct{}
	memStarted sync.WaitGroup
	memDone    sync.WaitGroup
)

func memTask() {
	memStarted.Done()
	<-memRelease
	memDone.Done()
}

// rss is the resident set size in bytes (/proc/self/statm, second field).
func rss() (int64, error) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, fmt.Errorf("/proc/self/statm: %q", b)
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, err
	}
	return pages * int64(os.Getpagesize()), nil
}

// pageTables is the process's page-table size in bytes (VmPTE in
// /proc/self/status), or -1 when the kernel does not say.
func pageTables() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmPTE:" && f[2] == "kB" {
			if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				return kb << 10
			}
		}
	}
	return -1
}

func runMemory(n int64) *entry {
	name := fmt.Sprintf("memory/go/n:%d", n)
	e := &entry{name: name, runName: name, repetitions: 1, iterations: 1, unit: "us",
		counters: map[string]float64{}}
	fail := func(err error) *entry {
		e.errorOccurred, e.errorMessage = true, err.Error()
		printEntry(e)
		return e
	}

	memRelease = make(chan struct{})
	memStarted.Add(int(n))
	memDone.Add(int(n))
	runtime.GC()
	before, err := rss()
	if err != nil {
		return fail(err)
	}
	pteBefore := pageTables()

	t0, c0 := time.Now(), processCPU()
	for i := int64(0); i < n; i++ {
		go memTask()
	}
	memStarted.Wait() // all N have run up to their receive
	real, cpu := time.Since(t0), processCPU()-c0

	after, err := rss()
	if err != nil {
		return fail(err)
	}
	pteAfter := pageTables()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)

	close(memRelease)
	memDone.Wait()

	e.realTime = float64(real.Nanoseconds()) / unitNS[e.unit]
	e.cpuTime = float64(cpu.Nanoseconds()) / unitNS[e.unit]
	e.counters["bytes_per_task"] = float64(after-before) / float64(n)
	e.counters["rss_before"] = float64(before)
	e.counters["rss_after"] = float64(after)
	e.counters["created"] = float64(n)
	e.counters["stack_inuse_bytes"] = float64(ms.StackInuse)
	if pteBefore >= 0 && pteAfter >= 0 {
		e.counters["page_table_bytes_per_task"] = float64(pteAfter-pteBefore) / float64(n)
	}
	printEntry(e)
	return e
}
