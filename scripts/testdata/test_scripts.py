#!/usr/bin/python3
"""Tests of scripts/compare.py and scripts/plot.py on bench_sample.json and variations of it
(quick run, peers missing, failing gates, errors, malformed files, unknown groups).

    scripts/testdata/test_scripts.py [-v]          (plot tests skipped without matplotlib)
    KEEP_PLOTS=/tmp/dir scripts/testdata/test_scripts.py   keeps the PNGs to look at
"""
import copy
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True     # no __pycache__ in scripts/
HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
SAMPLE = os.path.join(HERE, "bench_sample.json")
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

try:
    subprocess.run([PY, "-c", "import matplotlib"], check=True, capture_output=True)
    HAVE_MPL = True
except (subprocess.CalledProcessError, OSError):
    HAVE_MPL = False


def sample():
    with open(SAMPLE) as f:
        return json.load(f)


def without(doc, pred):
    doc = copy.deepcopy(doc)
    doc["results"] = [r for r in doc["results"] if not pred(r)]
    return doc


def entry(doc, name):
    return next(r for r in doc["results"] if r["name"] == name)


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, doc, name="r.json"):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return path

    def compare(self, doc, *args):
        path = doc if isinstance(doc, str) and doc.endswith(".json") and os.path.exists(doc) else self.write(doc)
        p = subprocess.run([PY, os.path.join(SCRIPTS, "compare.py"), path] + list(args),
                           capture_output=True, text=True)
        return p.returncode, p.stdout, p.stderr


class TestCompare(Base):
    def test_sample_passes(self):
        rc, out, err = self.compare(SAMPLE)
        self.assertEqual(rc, 0, out + err)
        for title in ("gort vs pthreads (CI gate)", "gort vs Go", "gort vs Boost", "Targets"):
            self.assertIn(title, out)
        self.assertIn("gate: all 8 passed", out)
        self.assertIn("185× faster", out)
        self.assertIn("procs:4", out)                  # {procs} expanded over the results' values
        self.assertNotIn("not run", out)

    def test_markdown(self):
        rc, out, _ = self.compare(SAMPLE, "--markdown")
        self.assertEqual(rc, 0)
        self.assertIn("### gort vs pthreads (CI gate)", out)
        self.assertIn("| spawn | `spawn/gort/procs:1` | 206 ns |", out)
        self.assertIn("|---|", out)

    def test_gate_only(self):
        rc, out, _ = self.compare(SAMPLE, "--gate-only")
        self.assertEqual(rc, 0)
        self.assertIn("CI gate", out)
        self.assertNotIn("gort vs Go", out)
        self.assertNotIn("Targets", out)

    def test_failing_gate(self):
        doc = sample()
        entry(doc, "spawn/gort/procs:1")["value"] = 4600.0
        rc, out, _ = self.compare(doc)
        self.assertEqual(rc, 1)
        self.assertRegex(out, r"FAIL spawn: gort/pthread = 0\.121 > [0-9.]+ \(spawn/gort/procs:1 = 4\.60 µs, "
                              r"spawn/pthread = 38\.1 µs\)")
        self.assertIn("gate: 1 of 8 failed", out)
        rc, out, _ = self.compare(doc, "--gate-only", "--markdown")
        self.assertEqual(rc, 1)
        self.assertIn("**FAIL**", out)

    def test_gate_missing_entry(self):
        rc, out, _ = self.compare(without(sample(), lambda r: r["name"] == "pingpong/pthread_condvar/cpus:2"))
        self.assertEqual(rc, 1)
        self.assertIn("FAIL pingpong_unbuffered_cpus2: pingpong/pthread_condvar/cpus:2 is missing", out)

    def test_gate_error_entry(self):
        doc = sample()
        e = entry(doc, "chan_throughput/gort/pairs:4")
        e["value"] = None
        e["error"] = "gort_chan_send: deadlock"
        rc, out, _ = self.compare(doc)
        self.assertEqual(rc, 1)
        self.assertIn("FAIL chan_throughput_pairs4: chan_throughput/gort/pairs:4 failed: gort_chan_send: deadlock",
                      out)
        # an error with a value still fails the gate
        doc = sample()
        entry(doc, "spawn/pthread")["error"] = "odd"
        rc, out, _ = self.compare(doc)
        self.assertEqual(rc, 1)
        self.assertIn("FAIL spawn: spawn/pthread failed: odd", out)

    def test_missing_go(self):
        doc = without(sample(), lambda r: r["family"] == "go")
        doc["machine"]["go"] = None
        doc["skipped"] = [{"what": "go peer", "why": "go not found (Debian package golang-go)"}]
        rc, out, _ = self.compare(doc)
        self.assertEqual(rc, 0, out)
        self.assertIn("== gort vs Go\nnot run (go not found (Debian package golang-go))", out)
        self.assertIn("not run (go not found", out.split("== Targets")[1])
        self.assertIn("yield/boost_context", out)

    def test_missing_boost_partial(self):
        doc = without(sample(), lambda r: r["impl"] == "boost_context")
        doc["skipped"] = [{"what": "boost_context", "why": "libboost-context-dev not installed"}]
        rc, out, _ = self.compare(doc)
        self.assertEqual(rc, 0)
        self.assertIn("not run (libboost-context-dev not installed)", out)
        self.assertIn("yield/boost_fiber", out)

    def test_fcontext_preferred_when_lower(self):
        doc = sample()
        fc = copy.deepcopy(entry(doc, "yield/boost_context"))
        fc.update(name="yield/boost_fcontext", impl="boost_fcontext", value=2.5)
        doc["results"].append(fc)
        rc, out, _ = self.compare(doc)
        targets = out.split("== Targets")[1]
        self.assertIn("yield/boost_fcontext", targets)

    def test_quick(self):
        gated = {"spawn/gort/procs:1", "spawn/pthread", "spawn_batch/gort/procs:1", "spawn_batch/pthread",
                 "pingpong/gort_unbuffered/procs:1", "pingpong/pthread_condvar/cpus:1",
                 "pingpong/gort_unbuffered/procs:2", "pingpong/pthread_condvar/cpus:2",
                 "pingpong/gort_buffered1/procs:1", "pingpong/pthread_futex/cpus:1",
                 "pool/gort/jobs:1000000/procs:2", "pool/pthread/jobs:1000000",
                 "chan_throughput/gort/pairs:1", "chan_throughput/pthread/pairs:1",
                 "chan_throughput/gort/pairs:4", "chan_throughput/pthread/pairs:4"}
        doc = without(sample(), lambda r: r["name"] not in gated and r["group"] not in ("yield",))
        doc["mode"] = "quick"
        rc, out, _ = self.compare(doc)
        self.assertEqual(rc, 0, out)
        self.assertIn("not run (not in this quick run)", out)
        self.assertIn("skynet/gort/procs:*", out)      # a placeholder line with no values at all
        self.assertIn("quick run", out.splitlines()[0])

    def test_unknown_group_and_suffixes(self):
        doc = sample()
        doc["results"].append({"name": "http/gort/conns:100", "group": "http", "impl": "gort", "family": "gort",
                               "args": {"conns": 100}, "metric": "per_request", "unit": "ns", "value": 9000.0,
                               "error": None})
        entry(doc, "yield/gort")["name"] = "yield/gort/process_time/real_time"
        rc, out, _ = self.compare(doc)
        self.assertEqual(rc, 0)
        self.assertIn("yield/gort", out)
        self.assertNotIn("yield/gort  not run", out)

    def test_empty_results(self):
        doc = sample()
        doc["results"] = []
        rc, out, _ = self.compare(doc)
        self.assertEqual(rc, 1)
        self.assertEqual(out.count("FAIL "), 8)

    def test_malformed(self):
        for bad in ("{not json", json.dumps([1, 2]), json.dumps({"schema": "other/1", "results": []}),
                    json.dumps({"schema": "gort-bench/1", "results": {}}),
                    json.dumps({"schema": "gort-bench/1", "results": [{"name": "spawn/gort", "value": "fast"}]}),
                    json.dumps({"schema": "gort-bench/1", "results": [{"value": 1.0}]}),
                    json.dumps({"schema": "gort-bench/1", "results": [], "skipped": "none"})):
            rc, out, err = self.compare(bad)
            self.assertEqual(rc, 2, bad)
            self.assertIn("error", err)
        rc, _, err = self.compare(os.path.join(self.tmp.name, "absent.json"))
        self.assertEqual(rc, 2)

    def test_malformed_thresholds(self):
        t = self.write({"gates": [{"name": "x", "gort": "a/gort"}]}, "t.json")
        rc, _, err = self.compare(SAMPLE, "--thresholds", t)
        self.assertEqual(rc, 2)
        self.assertIn("gates[0] lacks 'baseline'", err)

    def test_preempt_rows(self):
        rc, out, _ = self.compare(SAMPLE)
        self.assertEqual(rc, 0)
        go = out.split("== gort vs Go")[1].split("== gort vs Boost")[0]
        # the p50 row compares extra.late_p50_ns, the p99 row the entries' values (their p99)
        self.assertRegex(go, r"preempt tick lateness p50 procs:2 +preempt/gort_tick_late/procs:2 +5\.12 ms +"
                             r"preempt/go_tick_late/procs:2 +9\.90 ms +0\.517 ")
        self.assertRegex(go, r"preempt tick lateness p99 procs:4 .* 5\.35 ms .* 19\.7 ms ")
        # a family against itself: 4 digits and the difference in percent
        self.assertRegex(go, r"Go's own cost of preemption: loop async:1 / async:0 .* 1\.005 +\+0\.51%")
        targets = out.split("== Targets")[1]
        self.assertRegex(targets, r"preemption costs a CPU-bound loop under 1% .* 1\.004 +\+0\.36% +< 1\.01 +met")
        self.assertIn("tick lateness p50 within 2× Go's (procs:1)", targets)
        # the targets come in the suite's order of groups: preempt after skynet, before memory
        self.assertLess(targets.index("skynet faster than Go"), targets.index("tick lateness p50"))
        self.assertLess(targets.index("tick lateness p50"), targets.index("memory ≤ 4.5 KB"))

    def test_preempt_not_met_and_missing_extra(self):
        doc = sample()
        entry(doc, "preempt/gort_loop/async:1")["value"] = 42.5          # +2.7%
        entry(doc, "preempt/gort_tick_late/procs:1")["value"] = 45.0e6   # p99 2.2x Go's
        del entry(doc, "preempt/gort_tick_late/procs:2")["extra"]["late_p50_ns"]
        rc, out, _ = self.compare(doc)
        self.assertEqual(rc, 0)                      # targets never fail the run
        targets = out.split("== Targets")[1]
        self.assertRegex(targets, r"under 1% .* 1\.027 +\+2\.7\d% +< 1\.01 +not met")
        self.assertRegex(targets, r"tick lateness p99 within 2× Go's \(procs:1\) .* 2\.23 .* not met")
        self.assertRegex(targets, r"tick lateness p50 within 2× Go's \(procs:2\) .* no late_p50_ns +"
                                  r"preempt/go_tick_late/procs:2 +9\.90 ms .* no late_p50_ns")

    def test_preempt_go_missing(self):
        doc = without(sample(), lambda r: r["family"] == "go")
        doc["skipped"] = [{"what": "go peer", "why": "--no-go"}]
        rc, out, _ = self.compare(doc)
        self.assertEqual(rc, 0)
        self.assertIn("not run (--no-go)", out.split("== Targets")[1])
        self.assertRegex(out, r"under 1% .* 1\.004 .* met")   # gort's own ratio needs no Go

    def test_metric_type_checked(self):
        t = self.write({"peers": [{"name": "x", "gort": "a/gort", "peer": "a/go", "metric": 5}]}, "t.json")
        rc, _, err = self.compare(SAMPLE, "--thresholds", t)
        self.assertEqual(rc, 2)
        self.assertIn("'metric' has the wrong type", err)

    def test_units(self):
        sys.path.insert(0, SCRIPTS)
        import compare
        self.assertEqual(compare.fmt_value(206.1, "ns"), "206 ns")
        self.assertEqual(compare.fmt_value(14.0, "ns"), "14.0 ns")
        self.assertEqual(compare.fmt_value(38150, "ns"), "38.1 µs")   # %.1f rounds half to even
        self.assertEqual(compare.fmt_value(2.5e6, "ns"), "2.50 ms")
        self.assertEqual(compare.fmt_value(999.7, "ns"), "1000 ns")
        self.assertEqual(compare.fmt_value(4409, "B"), "4409 B")
        self.assertEqual(compare.fmt_value(20480, "B"), "20.0 KiB")
        self.assertEqual(compare.sig(0.0054), "0.00540")
        self.assertEqual(compare.fmt_factor(0.0054, "ns"), "185× faster")
        self.assertEqual(compare.fmt_factor(1.35, "ns"), "1.35× slower")
        self.assertEqual(compare.fmt_factor(0.8, "B"), "1.25× smaller")


@unittest.skipUnless(HAVE_MPL, "no matplotlib for %s" % PY)
class TestPlot(Base):
    def plot(self, doc, tag):
        path = doc if isinstance(doc, str) else self.write(doc)
        outdir = os.environ.get("KEEP_PLOTS")
        outdir = os.path.join(outdir, tag) if outdir else os.path.join(self.tmp.name, tag)
        p = subprocess.run([PY, os.path.join(SCRIPTS, "plot.py"), path, "--outdir", outdir],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        return p.stdout, sorted(os.listdir(outdir)) if os.path.isdir(outdir) else []

    def test_sample(self):
        out, files = self.plot(SAMPLE, "sample")
        self.assertEqual(files, ["chan.png", "memory.png", "pool.png", "preempt.png", "scaling.png", "spawn.png",
                                 "switch.png"])
        self.assertIn("wrote", out)

    def test_quick_no_go_errors_nulls(self):
        doc = without(sample(), lambda r: r["family"] == "go" or r["group"] in ("skynet", "select")
                      or r["name"].endswith("n:1000000"))
        doc["mode"] = "quick"
        e = entry(doc, "memory/gort_packed2k/n:100000")
        e["value"], e["error"] = None, "gort_go: ENOMEM (Cannot allocate memory)"
        entry(doc, "spawn/boost_fiber").update(value=None, error="boost peer crashed")
        entry(doc, "timers/gort/n:100000")["value"] = None
        out, files = self.plot(doc, "quick")
        self.assertIn("spawn.png", files)
        self.assertIn("memory.png", files)

    def test_single_groups_and_unknown(self):
        doc = sample()
        doc["results"] = [r for r in doc["results"] if r["group"] in ("spawn_batch", "pingpong")]
        doc["results"].append({"name": "grpc/gort/conns:100", "value": 9000.0, "unit": "ns", "error": None})
        out, files = self.plot(doc, "partial")
        self.assertEqual(files, ["spawn.png", "switch.png"])
        self.assertIn("memory.png skipped", out)
        self.assertIn("no figure for group grpc", out)

    def test_preempt_partial(self):
        # the loops only, without Go, one failed: preempt.png still drawn
        doc = sample()
        doc["results"] = [r for r in doc["results"] if r["impl"].startswith("gort_loop")]
        entry(doc, "preempt/gort_loop_alone/async:0").update(value=None, error="the child failed")
        doc["machine"]["go"] = None
        out, files = self.plot(doc, "preempt_loops")
        self.assertEqual(files, ["preempt.png"])
        # the ticks only, one without its p50
        doc = sample()
        doc["results"] = [r for r in doc["results"] if r["impl"].endswith("_tick_late")]
        del entry(doc, "preempt/go_tick_late/procs:4")["extra"]["late_p50_ns"]
        out, files = self.plot(doc, "preempt_ticks")
        self.assertEqual(files, ["preempt.png"])
        self.assertNotIn("no figure for group", out)

    def test_go_version(self):
        sys.path.insert(0, SCRIPTS)
        import plot
        self.assertEqual(plot.go_version({"machine": {"go": "go version go1.19.8 linux/amd64"}}), "Go 1.19.8")
        self.assertEqual(plot.go_version({"machine": {"go": "go1.22"}}), "Go 1.22")
        self.assertEqual(plot.go_version({"machine": {}}), "Go")

    def test_empty(self):
        doc = sample()
        doc["results"] = []
        doc["machine"] = {}
        out, files = self.plot(doc, "empty")
        self.assertEqual(files, [])

    def test_malformed(self):
        p = subprocess.run([PY, os.path.join(SCRIPTS, "plot.py"), self.write("[]"), "--outdir", self.tmp.name],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)


class TestBenchPy(unittest.TestCase):
    """scripts/bench.py's reading of Google Benchmark's JSON (no program is run)."""

    @classmethod
    def setUpClass(cls):
        sys.path.insert(0, SCRIPTS)
        import bench
        cls.bench = bench

    def gb(self, name, reps, **counters):
        out = []
        for i in range(reps):
            e = {"name": name, "run_name": name, "run_type": "iteration", "repetitions": reps,
                 "repetition_index": i, "iterations": 10, "real_time": 50.0, "cpu_time": 0.05,
                 "time_unit": "ms"}
            e.update({k: v[i] if isinstance(v, list) else v for k, v in counters.items()})
            out.append(e)
        out.append(dict(out[0], name=name + "_median", run_type="aggregate", aggregate_name="median"))
        return out

    def test_preempt_entries(self):
        doc = {"benchmarks":
               self.gb("preempt/gort_tick_late/procs:2/process_time/real_time", 3,
                       late_p50_us=[5000.0, 5200.0, 4900.0], late_p99_us=[10100.0, 9900.0, 12000.0],
                       per_tick=[0.0051, 0.0052, 0.005], preempt_per_s=[200.0, 210.0, 190.0])
               + self.gb("preempt/gort_loop/async:1/manual_time", 3, per_unit=[4.1e-8, 4.2e-8, 4.15e-8],
                         cpu_per_real=[1.9, 1.95, 1.8], preempt_per_s=[190.0, 200.0, 195.0])}
        tick, loop = self.bench.normalise(doc, "bench_preempt")
        self.assertEqual(tick["name"], "preempt/gort_tick_late/procs:2")
        self.assertEqual((tick["group"], tick["impl"], tick["family"], tick["args"]),
                         ("preempt", "gort_tick_late", "gort", {"procs": 2}))
        self.assertEqual((tick["metric"], tick["unit"]), ("late_p99", "ns"))
        self.assertAlmostEqual(tick["value"], 10.1e6)
        self.assertAlmostEqual(tick["min"], 9.9e6)
        self.assertAlmostEqual(tick["max"], 12.0e6)
        x = tick["extra"]
        self.assertAlmostEqual(x["late_p50_ns"], 5.0e6)
        self.assertAlmostEqual(x["late_p50_ns_min"], 4.9e6)
        self.assertAlmostEqual(x["late_p50_ns_max"], 5.2e6)
        self.assertAlmostEqual(x["per_tick_ns"], 5.1e6)
        self.assertEqual(x["preempt_per_s"], 200.0)
        self.assertEqual(loop["name"], "preempt/gort_loop/async:1")
        self.assertEqual((loop["metric"], loop["unit"], loop["args"]), ("per_unit", "ns", {"async": 1}))
        self.assertAlmostEqual(loop["value"], 41.5)
        self.assertEqual(loop["cpu_per_real"], 1.9)   # the child's, not the parent's cpu_time / real_time
        self.assertNotIn("late_p50_ns", loop["extra"])

    def test_other_entries_unchanged(self):
        doc = {"benchmarks": self.gb("spawn/gort/procs:1/process_time/real_time", 1, per_task=1.1e-7)}
        (r,) = self.bench.normalise(doc, "bench_spawn")
        self.assertEqual((r["metric"], r["value"], r["cpu_per_real"]), ("per_task", 110.0, 0.001))
        self.assertNotIn("extra", r)

    def test_groups_and_programs(self):
        self.assertIn("preempt", self.bench.ALL_GROUPS)
        self.assertIn("bench_preempt", self.bench.GBENCH_PROGRAMS)


if __name__ == "__main__":
    unittest.main()
