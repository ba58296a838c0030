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
        self.assertEqual(files, ["chan.png", "memory.png", "pool.png", "scaling.png", "spawn.png", "switch.png"])
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


if __name__ == "__main__":
    unittest.main()
