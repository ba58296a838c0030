// Command gopeer is the Go peer of gort's benchmark suite: the workloads of
// bench/SUITE.md written in Go (standard library only), reporting Google
// Benchmark 1.7's JSON schema so that scripts/bench.py reads it as it reads
// the C programs' output.
//
// Build (outputs under /tmp, never in the repository):
//
//	cd bench/peers/go && GOCACHE=/tmp/gocache GOPATH=/tmp/gopath GOFLAGS=-mod=mod \
//	    go build -o /tmp/gopeer .
//
// Flags (Google Benchmark's, so that the driver treats every program alike):
//
//	--benchmark_filter=REGEX       run the benchmarks whose full name matches
//	                               (a Go regexp, searched in the name; a
//	                               leading '-' negates; "all" = everything)
//	--benchmark_min_time=SECONDS   a run is reported once it lasts this long (0.5)
//	--benchmark_repetitions=N      N runs of each, plus _mean, _median, _stddev
//	                               and _cv aggregates when N > 1 (1)
//	--benchmark_out=FILE           write the JSON there instead of stdout
//	--benchmark_format=json|console  json (default): JSON on stdout when there
//	                               is no --benchmark_out; console: no JSON there
//	--benchmark_out_format=json    accepted (the only format)
//	--benchmark_list_tests         print the names, one a line, and exit
//	--memory N                     run only memory/go/n:N in this process and
//	                               print its JSON (one fresh process per N)
//	--preempt-child=G,RUNS         private: a child run of preempt/go_loop*
//	                               (preempt.go), started by the peer itself
//
// A line per finished run goes to stderr, as Google Benchmark's console
// output: name, real and CPU time per iteration, iterations, counters.
package main

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
)

type options struct {
	filter      string
	minTime     float64
	repetitions int
	out         string
	format      string
	listTests   bool
	memory      int64 // 0: not a memory run
}

func usage(msg string) {
	fmt.Fprintf(os.Stderr, "gopeer: %s\n", msg)
	fmt.Fprintf(os.Stderr, "usage: gopeer [--benchmark_filter=REGEX] [--benchmark_min_time=SECONDS]\n"+
		"              [--benchmark_repetitions=N] [--benchmark_out=FILE]\n"+
		"              [--benchmark_format=json|console] [--benchmark_list_tests]\n"+
		"       gopeer --memory N [--benchmark_out=FILE]\n")
	os.Exit(1)
}

func parseArgs(args []string) options {
	o := options{filter: ".", minTime: 0.5, repetitions: 1, format: "json"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(a, "=")
		switch name {
		case "--benchmark_filter":
			o.filter = val
		case "--benchmark_min_time":
			// Google Benchmark 1.8 spells it "0.5s"; take both.
			f, err := strconv.ParseFloat(strings.TrimSuffix(val, "s"), 64)
			if err != nil || f < 0 {
				usage("bad --benchmark_min_time: " + val)
			}
			o.minTime = f
		case "--benchmark_repetitions":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				usage("bad --benchmark_repetitions: " + val)
			}
			o.repetitions = n
		case "--benchmark_out":
			if val == "" {
				usage("--benchmark_out needs a file name")
			}
			o.out = val
		case "--benchmark_format":
			if val != "json" && val != "console" {
				usage("--benchmark_format: only json and console are supported")
			}
			o.format = val
		case "--benchmark_out_format":
			if val != "json" {
				usage("--benchmark_out_format: only json is supported")
			}
		case "--benchmark_list_tests":
			o.listTests = !hasVal || val == "true" || val == "1"
		case "--memory":
			if !hasVal {
				if i+1 >= len(args) {
					usage("--memory needs N")
				}
				i++
				val = args[i]
			}
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n < 1 {
				usage("bad --memory: " + val)
			}
			o.memory = n
		default:
			usage("unrecognized command-line flag: " + a)
		}
	}
	return o
}

// selectInstances applies the filter as Google Benchmark does: a regex
// searched in the full name, a leading '-' negating it; family_index counts
// only the families with at least one selected instance.
func selectInstances(fams []*family, filter string) ([]*instance, error) {
	neg := false
	if filter == "" || filter == "all" {
		filter = "."
	}
	if strings.HasPrefix(filter, "-") {
		neg = true
		filter = filter[1:]
	}
	re, err := regexp.Compile(filter)
	if err != nil {
		return nil, err
	}
	var sel []*instance
	next := 0
	for _, f := range fams {
		k := 0
		for _, in := range f.instances {
			if re.MatchString(in.name) != neg {
				in.familyIndex = next
				in.instanceIndex = k
				k++
				sel = append(sel, in)
			}
		}
		if k > 0 {
			next++
		}
	}
	return sel, nil
}

func main() {
	if len(os.Args) == 2 && strings.HasPrefix(os.Args[1], preemptChildArg) {
		os.Exit(preemptChild(strings.TrimPrefix(os.Args[1], preemptChildArg)))
	}
	o := parseArgs(os.Args[1:])
	ctx := newContext()

	var entries []*entry
	if o.memory > 0 {
		entries = []*entry{runMemory(o.memory)}
	} else {
		sel, err := selectInstances(families(), o.filter)
		if err != nil {
			usage("bad --benchmark_filter: " + err.Error())
		}
		if len(sel) == 0 {
			fmt.Fprintf(os.Stderr, "Failed to match any benchmarks against regex: %s\n", o.filter)
			os.Exit(1)
		}
		if o.listTests {
			for _, in := range sel {
				fmt.Println(in.name)
			}
			return
		}
		printHeader(ctx)
		for _, in := range sel {
			entries = append(entries, runInstance(in, o)...)
			runtime.GOMAXPROCS(ctx.gomaxprocsDefault)
		}
	}

	js := renderJSON(ctx, entries)
	switch {
	case o.out != "":
		if err := os.WriteFile(o.out, js, 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "gopeer: %v\n", err)
			os.Exit(1)
		}
	case o.format == "json":
		os.Stdout.Write(js)
	}
}
