#!/usr/bin/python3
"""Tests of scripts/trace_check.py and scripts/trace_plot.py on the traces in this directory.

    scripts/testdata/trace/test_trace_tools.py [-v] [CheckGood|CheckBad|PlotLayout|PlotPNG ...]
    KEEP_PLOTS=/tmp/dir scripts/testdata/trace/test_trace_tools.py PlotPNG    keeps the PNGs

good_small.json is a hand-written trace of 2 Ps, 3 Ms and 6 goroutines, written buffer by
buffer (M3's, M1's, the other threads', M2's) as the runtime does; good_small.summary.json and
good_small.layout are what the tools must say about it, worked out by hand.  bad_*.json break
one rule each (the table BAD below says which message each must produce).  Exit status 77
when every selected test was skipped (PlotPNG without matplotlib): ctest shows it as skipped.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True     # no __pycache__ in scripts/
HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(os.path.dirname(HERE))
CHECK = os.path.join(SCRIPTS, "trace_check.py")
PLOT = os.path.join(SCRIPTS, "trace_plot.py")
GOOD = os.path.join(HERE, "good_small.json")
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

try:
    subprocess.run([PY, "-c", "import matplotlib"], check=True, capture_output=True)
    HAVE_MPL = True
except (subprocess.CalledProcessError, OSError):
    HAVE_MPL = False

# file -> (the message its one violation must carry, as a regex)
BAD = {
    "bad_overlap.json": r"P0: two goroutines at once: G3 begins while G2 is still running there \(since 1\.000 us\)",
    "bad_two_ps.json": r"G2: running on two Ps at once: B on P1 while it runs on P0",
    "bad_park_no_unpark.json": r"G2: B on P1 while waiting: parked at 2\.000 us \(chan receive\) with no GoUnpark",
    "bad_e_mismatch.json": r"P0: E of G3, but the open run there is G2's",
    "bad_dead.json": r"G2: GoUnpark after the goroutine ended \(at 2\.000 us\)",
    "bad_create_existing.json": r"G3: GoCreate of an id already seen \(first at 2\.000 us\)",
    "bad_procstart_held.json": r"P1: ProcStart by M3 while M2 holds it \(since 1\.000 us\)",
    "bad_park_no_reason.json": r"G2: park without a reason",
    "bad_schema.json": r"event #0: schema: no \"ts\"",
}

OTHER = {"producer": "gort 0.2.0", "format": "gort-trace-1", "mode": "trace",
         "clock": "CLOCK_MONOTONIC", "lost_events": 0}


def load(path):
    with open(path) as f:
        return json.load(f)


def trace(*events, **other):
    o = dict(OTHER)
    o.update(other)
    return {"traceEvents": list(events), "displayTimeUnit": "ns", "otherData": o}


def B(p, ts, g, m):
    return {"ph": "B", "pid": 1, "tid": p, "ts": ts, "name": "G%d" % g, "cat": "run", "args": {"g": g, "m": m}}


def E(p, ts, g, why, reason=None):
    args = {"g": g, "why": why}
    if reason is not None:
        args["reason"] = reason
    return {"ph": "E", "pid": 1, "tid": p, "ts": ts, "cat": "run", "args": args}


def I(name, ts, pid=1, tid=0, **args):
    return {"ph": "i", "pid": pid, "tid": tid, "ts": ts, "s": "t", "name": name, "args": args}


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, doc, name="t.json"):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return path

    def run_tool(self, tool, *args, env=None):
        return subprocess.run([PY, tool] + [str(a) for a in args], capture_output=True, text=True, env=env)

    def check(self, doc_or_path, *args):
        path = doc_or_path if isinstance(doc_or_path, str) and os.path.exists(doc_or_path) else self.write(doc_or_path)
        return self.run_tool(CHECK, path, *args)

    def errors(self, p):
        return [l for l in p.stdout.splitlines() if l.startswith("error:")]


class CheckGood(Base):
    def test_good_small_passes(self):
        p = self.check(GOOD)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.errors(p), [])
        self.assertEqual(p.stderr, "")
        self.assertTrue(p.stdout.startswith("good_small.json: OK (gort-trace-1, mode trace, gort 0.2.0)"), p.stdout)
        self.assertIn("parks           4: chan receive 1, select 1, sleep 1, sync.WaitGroup.Wait 1", p.stdout)

    def test_json_summary_is_the_hand_written_one(self):
        p = self.check(GOOD, "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        got = json.loads(p.stdout)
        want = load(os.path.join(HERE, "good_small.summary.json"))
        want.pop("_comment")
        for key, value in want.items():
            if isinstance(value, float):
                self.assertAlmostEqual(got[key], value, places=6, msg=key)
            else:
                self.assertEqual(got[key], value, key)
        self.assertEqual(got["file"], "good_small.json")
        self.assertEqual(got["violations"], [])

    def test_quiet(self):
        p = self.check(GOOD, "--quiet")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))

    def test_file_order_does_not_matter(self):
        # the same events sorted globally (stable, so the tie at 5.000 us on P1 keeps E before B)
        doc = load(GOOD)
        doc["traceEvents"].sort(key=lambda e: e.get("ts", -1))
        a = json.loads(self.check(GOOD, "--json").stdout)
        b = json.loads(self.check(doc, "--json").stdout)
        a.pop("file"), b.pop("file")
        self.assertEqual(a, b)

    def test_tie_keeps_file_order(self):
        # E then B at the same ts on one P is a hand-over; B then E (swapped) is an overlap
        ok = trace(E(0, 5.0, 2, "yield"), B(0, 5.0, 3, 1))
        self.assertEqual(self.check(ok).returncode, 0)
        bad = trace(B(0, 5.0, 3, 1), E(0, 5.0, 2, "yield"))
        p = self.check(bad)
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stdout, r"P0: E of G2, but the open run there is G3's")

    def test_flight_mode(self):
        doc = load(GOOD)
        doc["otherData"]["mode"] = "flight"
        p = self.check(doc, "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["mode"], "flight")

    def test_first_event_of_a_goroutine_may_be_anything(self):
        # unknown goroutines: an unpark (it was waiting), an E first on a P, a B (runnable before)
        doc = trace(I("GoUnpark", 1.0, g=7, by=0), E(1, 2.0, 8, "park", "sleep"), B(0, 3.0, 9, 1),
                    B(1, 4.0, 7, 2))
        self.assertEqual(self.check(doc).returncode, 0)

    def test_unknown_instants_and_metadata_tolerated(self):
        doc = load(GOOD)
        doc["traceEvents"] += [I("GCStart", 3.5, pid=2, tid=0, whatever="x"),
                               {"ph": "M", "pid": 2, "tid": 9, "name": "something_new", "args": {"x": [1]}}]
        s = json.loads(self.check(doc, "--json").stdout)
        self.assertTrue(s["ok"])
        self.assertEqual(s["unknown_instants"], {"GCStart": 1, "UserLog": 1})
        self.assertEqual(s["metadata"], 11)

    def test_waiting_at_the_end_and_syscall_return(self):
        doc = trace(B(0, 1.0, 2, 1), E(0, 2.0, 2, "syscall"), B(1, 3.0, 2, 2), E(1, 4.0, 2, "park", "IO wait"),
                    B(0, 5.0, 3, 1), E(0, 6.0, 3, "lock"), B(1, 7.0, 3, 2))
        p = self.check(doc, "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        s = json.loads(p.stdout)
        self.assertEqual((s["waiting_at_end"], s["syscalls"], s["lock_handoffs"], s["parks"]),
                         (1, 1, 1, {"IO wait": 1}))

    def test_lost_events_make_rule_violations_warnings(self):
        doc = load(os.path.join(HERE, "bad_overlap.json"))
        doc["otherData"]["lost_events"] = 2
        p = self.check(doc)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("warning: 2 events were lost", p.stderr)
        self.assertRegex(p.stderr, "warning \\(events were lost\\): .*" + BAD["bad_overlap.json"])
        self.assertIn(": OK, 2 warnings (gort-trace-1", p.stdout)
        p = self.check(doc, "--json")
        self.assertEqual((p.returncode, p.stderr), (0, ""))
        s = json.loads(p.stdout)
        self.assertEqual((s["ok"], s["errors"], s["warnings"], s["lost_events"]), (True, 0, 2, 2))
        self.assertRegex(s["warning_lines"][1], BAD["bad_overlap.json"])

    def test_lost_events_leave_schema_and_reason_errors(self):
        for name in ("bad_schema.json", "bad_park_no_reason.json"):
            doc = load(os.path.join(HERE, name))
            doc["otherData"]["lost_events"] = 1
            p = self.check(doc)
            self.assertEqual(p.returncode, 1, name)
            self.assertRegex(p.stdout, BAD[name])


class CheckBad(Base):
    def expect_one(self, doc_or_path, regex):
        p = self.check(doc_or_path)
        self.assertEqual(p.returncode, 1, "%s\n%s%s" % (regex, p.stdout, p.stderr))
        errs = self.errors(p)
        self.assertEqual(len(errs), 1, "want exactly one violation:\n" + "\n".join(errs))
        self.assertRegex(errs[0], regex)
        return errs[0]

    def test_bad_files(self):
        for name, regex in BAD.items():
            with self.subTest(name=name):
                self.expect_one(os.path.join(HERE, name), regex)

    def test_bad_files_are_the_good_rule_once_fixed(self):
        # each bad file differs from a consistent trace by its one violation: check the fixes pass
        fixes = {
            "bad_overlap.json": lambda ev: ev.insert(1, E(0, 1.5, 2, "yield")),
            "bad_two_ps.json": lambda ev: ev.append(E(0, 1.5, 2, "yield")),
            "bad_park_no_unpark.json": lambda ev: ev.append(I("GoUnpark", 3.5, g=2, by=3)),
            "bad_e_mismatch.json": lambda ev: ev[1]["args"].update(g=2),
            "bad_dead.json": lambda ev: ev[0]["args"].update(g=3),
            "bad_create_existing.json": lambda ev: ev[2]["args"].update(new=4),
            "bad_procstart_held.json": lambda ev: ev.append(I("ProcStop", 1.8, pid=2, tid=2, p=1, m=2)),
            "bad_park_no_reason.json": lambda ev: ev[1]["args"].update(reason="select"),
            "bad_schema.json": lambda ev: ev[0].update(ts=1.0),
        }
        self.assertEqual(set(fixes), set(BAD))
        for name, fix in fixes.items():
            with self.subTest(name=name):
                doc = load(os.path.join(HERE, name))
                fix(doc["traceEvents"])
                p = self.check(doc)
                self.assertEqual(p.returncode, 0, p.stdout)

    def test_more_rules(self):
        cases = [
            (trace(B(0, 1.0, 2, 1), E(0, 2.0, 2, "syscall"), I("GoUnpark", 3.0, g=2, by=0)),
             r"G2: GoUnpark while in a system call"),
            (trace(B(0, 1.0, 2, 1), E(0, 2.0, 2, "syscall"), E(0, 3.0, 2, "yield")),
             r"P0: E of G2 with no run open on P0"),
            (trace(B(0, 1.0, 2, 1), E(0, 2.0, 2, "yield"), B(0, 3.0, 3, 2)),
             r"P0: G3 runs on M2, but M1 holds P0 \(since 1\.000 us\)"),
            (trace(I("ProcStart", 1.0, pid=2, tid=2, p=0, m=2), I("ProcStop", 2.0, pid=2, tid=3, p=0, m=3)),
             r"P0: ProcStop for M3, but M2 holds it"),
            (trace(I("ProcStop", 1.0, pid=2, tid=2, p=0, m=2), I("ProcStop", 2.0, pid=2, tid=0, p=0, m=2)),
             r"P0: ProcStop for M2, but no M holds it"),
            (trace(I("ProcStop", 1.0, pid=2, tid=2, p=0, m=2), B(0, 2.0, 3, 2)),
             r"P0: G3 runs on M2, but no M holds P0"),
            (trace(B(0, 1.0, 2, 1), E(0, 2.0, 2, "end"), I("GoCreate", 3.0, g=0, new=2, site="a.c:1")),
             r"G2: GoCreate of an id already seen: the goroutine ended at 2\.000 us"),
            (trace(B(0, 1.0, 2, 1), E(0, 2.0, 2, "end"), I("GoCreate", 3.0, pid=2, tid=1, g=2, new=5, site="a.c:1")),
             r"G2: creates G5 after the goroutine ended"),
            (trace(B(0, 1.0, 2, 1), E(0, 2.0, 2, "end"), I("GoUnpark", 3.0, pid=2, tid=1, g=5, by=2)),
             r"G2: unparks G5 after the goroutine ended"),
            (trace(B(0, 1.0, 2, 1), I("GoUnpark", 2.0, g=2, by=0)),
             r"G2: GoUnpark while it runs on P0"),
            (trace(I("GoCreate", 1.0, g=0, new=2, site="a.c:1"), E(0, 2.0, 2, "yield")),
             r"G2: E \(yield\) on P0 while runnable"),
            (trace(B(0, 1.0, 2, 1), E(0, 2.0, 2, "park", "")), r"G2: park without a reason \(args.reason \"\"\)"),
            (trace(B(0, 1.0, 2, 1), E(0, 2.0, 2, "sleep")), r"schema: args.why \"sleep\" is not one of"),
            (trace(dict(B(0, 1.0, 2, 1), pid=2)), r"schema: B on pid 2"),
            (trace(dict(B(0, 1.0, 2, 1), name="G3")), r"schema: name \"G3\" does not match args.g 2"),
            (trace(dict(B(0, 1.0, 2, 1), ph="X")), r"schema: ph \"X\" is not one of B, E, i, M"),
            (trace(B(0, -1.0, 2, 1)), r"schema: ts -1.0 is negative"),
            (trace(B(0, "1.0", 2, 1)), r"schema: ts \"1.0\" is not a number"),
            (trace(B(0, 1.0, 2, 0)), r"schema: args.m 0 is not an M id"),
            (trace(I("ProcStart", 1.0, pid=2, tid=1, p=0, m=2)), r"schema: ProcStart on tid 1, args.m 2"),
            (trace(I("ProcStart", 1.0, pid=1, tid=0, p=0, m=2)), r"schema: ProcStart on pid 1"),
            (trace(I("GoUnpark", 1.0, g=True, by=0)), r"schema: GoUnpark: args.g true is not an integer"),
            (trace(I("GoCreate", 1.0, g=1, new=2)), r"schema: GoCreate: args.site is not a non-empty string"),
            (trace(B(0, 1.0, 2, 1), format="gort-trace-2"), r"otherData: schema: format is \"gort-trace-2\""),
            (trace(B(0, 1.0, 2, 1), mode="stream"), r"otherData: schema: mode is \"stream\""),
            (trace(B(0, 1.0, 2, 1), lost_events=-1), r"otherData: schema: lost_events -1"),
        ]
        for doc, regex in cases:
            with self.subTest(regex=regex):
                self.expect_one(doc, regex)

    def test_at_most_20_lines_then_a_count(self):
        doc = trace(*[B(0, float(i), i + 2, 1) for i in range(26)])   # 25 overlaps
        p = self.check(doc, "--quiet")
        self.assertEqual(p.returncode, 1)
        lines = p.stdout.splitlines()
        self.assertEqual(len(self.errors(p)), 20)
        self.assertEqual(lines[20:], ["... and 5 more violations (25 in all)"])

    def test_json_with_violations(self):
        p = self.check(os.path.join(HERE, "bad_dead.json"), "--json")
        self.assertEqual(p.returncode, 1)
        s = json.loads(p.stdout)
        self.assertEqual((s["ok"], s["errors"]), (False, 1))
        self.assertRegex(s["violations"][0], BAD["bad_dead.json"])
        self.assertEqual(p.stderr, "")

    def test_not_a_trace_exits_2(self):
        cases = [("{not json", r"not valid JSON"), ("[1, 2]", r"the top level is a JSON list, not an object"),
                 ('{"traceEvents": {}}', r'no "traceEvents" list'), (b"\xff\xfe{", r"not valid JSON")]
        for text, regex in cases:
            with self.subTest(text=text):
                path = os.path.join(self.tmp.name, "x.json")
                with open(path, "wb") as f:
                    f.write(text if isinstance(text, bytes) else text.encode())
                p = self.run_tool(CHECK, path)
                self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
                self.assertRegex(p.stderr, r"^trace_check: .*x\.json: " + regex)
                self.assertEqual(p.stdout, "")
        p = self.run_tool(CHECK, os.path.join(self.tmp.name, "missing.json"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("cannot read", p.stderr)


class PlotLayout(Base):
    def layout(self, *args, env=None):
        p = self.run_tool(PLOT, GOOD, "--layout", *args, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_layout_is_the_hand_written_one(self):
        with open(os.path.join(HERE, "good_small.layout")) as f:
            self.assertEqual(self.layout(), f.read())

    def test_window(self):
        self.assertEqual(self.layout("--from-us", 30, "--to-us", 60),
                         "P0 G4 30.000 40.000 #9467bd\n"
                         "P0 G3 40.100 60.000 #2ca02c\n"
                         "P1 G2 30.000 45.000 #1f77b4\n"
                         "P1 G5 51.000 60.000 #8c564b\n")

    def test_colours(self):
        sys.path.insert(0, SCRIPTS)
        import trace_plot
        self.assertEqual(trace_plot.colour(1), "#e8590c")
        self.assertEqual([trace_plot.colour(g) for g in (2, 3, 13, 14)],
                         ["#1f77b4", "#2ca02c", "#f7b6d2", "#1f77b4"])
        self.assertNotIn("#e8590c", trace_plot.PALETTE)
        self.assertEqual(len(set(trace_plot.PALETTE)), 12)

    def fake_no_matplotlib(self):
        d = os.path.join(self.tmp.name, "nompl", "matplotlib")
        os.makedirs(d)
        with open(os.path.join(d, "__init__.py"), "w") as f:
            f.write("raise ImportError('no matplotlib here (test)')\n")
        return dict(os.environ, PYTHONPATH=os.path.dirname(d))

    def test_layout_needs_no_matplotlib(self):
        env = self.fake_no_matplotlib()
        with open(os.path.join(HERE, "good_small.layout")) as f:
            self.assertEqual(self.layout(env=env), f.read())

    def test_png_without_matplotlib_says_how_to_install(self):
        out = os.path.join(self.tmp.name, "x.png")
        p = self.run_tool(PLOT, GOOD, "-o", out, env=self.fake_no_matplotlib())
        self.assertEqual(p.returncode, 2)
        self.assertIn("apt-get install -y python3-matplotlib", p.stderr)
        self.assertFalse(os.path.exists(out))

    def test_bad_input(self):
        p = self.run_tool(PLOT, self.write("[]"), "--layout")
        self.assertEqual(p.returncode, 2)
        self.assertIn("top level is a JSON list", p.stderr)
        p = self.run_tool(PLOT, GOOD)
        self.assertEqual(p.returncode, 2)
        self.assertIn("nothing to do", p.stderr)


# the documented geometry of trace_plot.py's figures (its header)
LEFT, RIGHT, TOP, BOTTOM, ROW = 64, 16, 40, 44, 32


@unittest.skipUnless(HAVE_MPL, "matplotlib missing (apt-get install -y python3-matplotlib)")
class PlotPNG(Base):
    def png(self, *args, width=1000):
        keep = os.environ.get("KEEP_PLOTS")
        out = os.path.join(keep or self.tmp.name, "good_small%s.png" % "".join("_%s" % a for a in args))
        p = self.run_tool(PLOT, GOOD, "-o", out, "--width", width, *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        import matplotlib.image
        return matplotlib.image.imread(out)

    def pixel(self, img, t, row, a, b, width):
        x = LEFT + (t - a) / (b - a) * (width - LEFT - RIGHT)
        y = TOP + (row + 0.5) * ROW
        return tuple(round(float(c) * 255) for c in img[int(y), int(x)][:3])

    @staticmethod
    def rgb(hexcolour):
        return tuple(int(hexcolour[i:i + 2], 16) for i in (1, 3, 5))

    def assertColour(self, got, hexcolour, what):
        want = self.rgb(hexcolour)
        self.assertTrue(all(abs(g - w) <= 2 for g, w in zip(got, want)), "%s: %s, want %s (%s)"
                        % (what, got, want, hexcolour))

    def test_size_and_pixels(self):
        img = self.png(width=1000)
        self.assertEqual(img.shape[:2], (TOP + BOTTOM + 2 * ROW, 1000))
        a, b = 1.0, 115.0        # the trace's first and last ts
        # 15% into a run (its label is centred), mid-row
        self.assertColour(self.pixel(img, 60.2 + 0.15 * 35.3, 0, a, b, 1000), "#9467bd", "P0 G4 60.2-95.5")
        self.assertColour(self.pixel(img, 1.0 + 0.15 * 9.0, 0, a, b, 1000), "#e8590c", "P0 G1 from the start")
        self.assertColour(self.pixel(img, 95.6 + 0.15 * 19.4, 0, a, b, 1000), "#e8590c", "P0 G1 open at the end")
        self.assertColour(self.pixel(img, 20.25 + 0.15 * 24.75, 1, a, b, 1000), "#1f77b4", "P1 G2 20.25-45")
        self.assertColour(self.pixel(img, 48.0, 1, a, b, 1000), "#ffffff", "P1 idle 45-51")
        self.assertColour(self.pixel(img, 112.0, 1, a, b, 1000), "#ffffff", "P1 idle after 110")

    def test_window_and_width(self):
        img = self.png("--from-us", "30", "--to-us", "60", width=700)
        self.assertEqual(img.shape[:2], (TOP + BOTTOM + 2 * ROW, 700))
        self.assertColour(self.pixel(img, 33.0, 0, 30.0, 60.0, 700), "#9467bd", "P0 G4 (clipped)")
        self.assertColour(self.pixel(img, 43.0, 0, 30.0, 60.0, 700), "#2ca02c", "P0 G3 (its label is at 50)")
        self.assertColour(self.pixel(img, 48.0, 1, 30.0, 60.0, 700), "#ffffff", "P1 idle 45-51")


if __name__ == "__main__":
    prog = unittest.main(exit=False)
    r = prog.result
    if not r.wasSuccessful():
        sys.exit(1)
    sys.exit(77 if r.testsRun and len(r.skipped) == r.testsRun else 0)
