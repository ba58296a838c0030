package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// context is the report's "context": Google Benchmark's machine facts, plus
// the Go runtime's.
type context struct {
	date, hostName, executable string
	numCPUs, mhz               int
	loadAvg                    []float64
	goVersion                  string
	gomaxprocsDefault          int
}

func newContext() *context {
	host, _ := os.Hostname()
	c := &context{
		date:              time.Now().Format("2006-01-02T15:04:05-07:00"),
		hostName:          host,
		executable:        os.Args[0],
		numCPUs:           runtime.NumCPU(),
		goVersion:         runtime.Version(),
		gomaxprocsDefault: runtime.GOMAXPROCS(0),
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			if ok && strings.TrimSpace(k) == "cpu MHz" {
				if mhz, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					c.mhz = int(mhz)
				}
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		for _, s := range strings.Fields(string(b))[:3] {
			if x, err := strconv.ParseFloat(s, 64); err == nil {
				c.loadAvg = append(c.loadAvg, x)
			}
		}
	}
	return c
}

// obj writes one JSON object with its keys in the order given (Google
// Benchmark's order), indented as Google Benchmark does.
type obj struct {
	buf    *bytes.Buffer
	indent string
	first  bool
}

func newObj(buf *bytes.Buffer, indent string) *obj {
	buf.WriteString("{\n")
	return &obj{buf: buf, indent: indent, first: true}
}

func (o *obj) key(k string) {
	if !o.first {
		o.buf.WriteString(",\n")
	}
	o.first = false
	o.buf.WriteString(o.indent + "  ")
	o.buf.Write(jsonString(k))
	o.buf.WriteString(": ")
}

func (o *obj) str(k, v string) { o.key(k); o.buf.Write(jsonString(v)) }
func (o *obj) int(k string, v int64) {
	o.key(k)
	o.buf.WriteString(strconv.FormatInt(v, 10))
}
func (o *obj) bool(k string, v bool) { o.key(k); o.buf.WriteString(strconv.FormatBool(v)) }
func (o *obj) float(k string, v float64) {
	o.key(k)
	o.buf.WriteString(jsonFloat(v))
}
func (o *obj) raw(k, v string) { o.key(k); o.buf.WriteString(v) }
func (o *obj) end()            { o.buf.WriteString("\n" + o.indent + "}") }

func jsonString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

// jsonFloat is Google Benchmark's "%.17g"-like scientific form; JSON has no
// NaN or infinities, so those become null.
func jsonFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	return strconv.FormatFloat(v, 'e', 16, 64)
}

func renderJSON(c *context, entries []*entry) []byte {
	var buf bytes.Buffer
	top := newObj(&buf, "")
	top.key("context")
	ctx := newObj(&buf, "  ")
	ctx.str("date", c.date)
	ctx.str("host_name", c.hostName)
	ctx.str("executable", c.executable)
	ctx.int("num_cpus", int64(c.numCPUs))
	ctx.int("mhz_per_cpu", int64(c.mhz))
	if len(c.loadAvg) > 0 {
		var s []string
		for _, x := range c.loadAvg {
			s = append(s, strconv.FormatFloat(x, 'g', -1, 64))
		}
		ctx.raw("load_avg", "["+strings.Join(s, ",")+"]")
	}
	ctx.str("library_build_type", "release")
	ctx.str("go_version", c.goVersion)
	ctx.str("gomaxprocs_default", strconv.Itoa(c.gomaxprocsDefault))
	ctx.end()
	top.key("benchmarks")
	buf.WriteString("[\n")
	for i, e := range entries {
		if i > 0 {
			buf.WriteString(",\n")
		}
		buf.WriteString("    ")
		o := newObj(&buf, "    ")
		o.str("name", e.name)
		o.int("family_index", int64(e.familyIndex))
		o.int("per_family_instance_index", int64(e.instanceIndex))
		o.str("run_name", e.runName)
		if e.aggregate == "" {
			o.str("run_type", "iteration")
		} else {
			o.str("run_type", "aggregate")
		}
		o.int("repetitions", int64(e.repetitions))
		if e.aggregate == "" {
			o.int("repetition_index", int64(e.repetitionIndex))
		}
		o.int("threads", 1)
		if e.aggregate != "" {
			o.str("aggregate_name", e.aggregate)
			o.str("aggregate_unit", e.aggregateUnit)
		}
		if e.errorOccurred {
			o.bool("error_occurred", true)
			o.str("error_message", e.errorMessage)
		}
		o.int("iterations", e.iterations)
		o.float("real_time", e.realTime)
		o.float("cpu_time", e.cpuTime)
		o.str("time_unit", e.unit)
		for _, k := range sortedKeys(e.counters) {
			o.float(k, e.counters[k])
		}
		o.end()
	}
	buf.WriteString("\n  ]")
	top.end()
	buf.WriteString("\n")
	return buf.Bytes()
}
