#!/usr/bin/python3
"""bench.py — runs the benchmark suite (bench/SUITE.md) and writes one results file.

Called by scripts/bench.sh, which installs packages and builds first; it can be
run by itself on a built tree:

    scripts/bench.py --build build-bench [--quick] [--group spawn,pingpong]
                     [--out results/latest.json] [--repetitions 3] [--min-time 0.5]

Each program (bench_* from Google Benchmark, the Go peer `gopeer`, the Boost
peer `bench_boost`) is run once with the benchmarks of the selected groups,
writing Google Benchmark's JSON; `memory` points run one fresh process each
(bench_memory KIND N, gopeer --memory N).  The results file holds, per
benchmark, the median of the repetitions of its primary counter (`per_*` in
ns, `bytes_per_task` in bytes) with min, max and the samples, plus the
machine's facts; its schema is "gort-bench/1" (bench/README.md).

Standard library only: CI runs the quick mode where matplotlib may be absent.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SCHEMA = "gort-bench/1"
MEMORY_NS = [1000, 10000, 100000, 1000000]
MEMORY_KINDS = ["gort", "gort_packed2k", "pthread", "pthread_16k"]
# Programs of the suite, in running order; each runs what it registers.
GBENCH_PROGRAMS = ["bench_spawn", "bench_switch", "bench_pool", "bench_chan",
                   "bench_cond", "bench_skynet", "bench_preempt", "bench_boost"]
NAME_SUFFIXES = ("/process_time", "/real_time", "/manual_time")
ALL_GROUPS = ["spawn", "spawn_batch", "yield", "pingpong", "pool",
              "chan_throughput", "select", "timers", "cond", "cond_pingpong", "skynet", "preempt",
              "memory", "http"]
# The http group: each server under wrk on loopback, at these connection counts, in two
# placements (both are real deployments):
#   cpus:shared  server and wrk share every CPU; the servers run at their default
#                GOMAXPROCS (all CPUs), so wrk competes with them for each CPU;
#   cpus:pinned  the server on CPU 0 at GOMAXPROCS 1 (the thread server's threads all on
#                CPU 0), wrk with one thread on CPU 1 (two wrk threads on one CPU would
#                take turns by the kernel's time slice, and that would be what the tail
#                measured).  Needs CPUs 0 and 1 and taskset.
HTTP_CONNS = [10, 100, 1000]
HTTP_SERVERS = [("gort", "examples/http_server"), ("pthread", "bench/http_server_pthread"),
                ("go", "bench/gohttp")]
HTTP_PLACEMENTS = ["shared", "pinned"]


def log(msg):
    print(msg, flush=True)


def base_name(name):
    """spawn/gort/procs:1/process_time/real_time -> spawn/gort/procs:1"""
    changed = True
    while changed:
        changed = False
        for suffix in NAME_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                changed = True
    return name


def split_name(name):
    parts = name.split("/")
    group, impl = parts[0], parts[1] if len(parts) > 1 else ""
    args = {}
    for p in parts[2:]:
        if ":" in p:
            k, v = p.split(":", 1)
            try:
                args[k] = int(v)
            except ValueError:
                args[k] = v
    family = impl
    for fam in ("boost_context", "boost_fiber", "pthread", "gort", "go"):
        if impl == fam or impl.startswith(fam + "_"):
            family = fam
            break
    return group, impl, family, args


# Google Benchmark's own fields that look like counters.
GBENCH_FIELDS = {"per_family_instance_index"}


# Counters that are an entry's primary figure ahead of its per_* counter: the
# preempt group's tick lateness (its per_tick is ~1 ms whatever happens).
# counter -> (metric, factor to ns)
PRIMARY_FIRST = {"late_p99_us": ("late_p99", 1e3)}
# Other counters kept in a result's "extra", each as the median over the
# repetitions (KEY) with KEY_min and KEY_max: counter -> (KEY, factor).
EXTRA_COUNTERS = {"late_p50_us": ("late_p50_ns", 1e3), "late_p99_us": ("late_p99_ns", 1e3),
                  "per_tick": ("per_tick_ns", 1e9), "preempt_per_s": ("preempt_per_s", 1.0)}


def primary_counter(entry):
    """(counter, metric, factor to the stored unit, unit) of a Google Benchmark entry."""
    if "bytes_per_task" in entry:
        return "bytes_per_task", "bytes_per_task", 1.0, "B"
    for key, (metric, factor) in PRIMARY_FIRST.items():
        if isinstance(entry.get(key), (int, float)):
            return key, metric, factor, "ns"
    for key in sorted(entry):
        if (key.startswith("per_") and key not in GBENCH_FIELDS
                and isinstance(entry[key], (int, float))):
            return key, key, 1e9, "ns"
    return None


UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def entry_value(entry):
    pc = primary_counter(entry)
    if pc is not None:
        counter, metric, factor, unit = pc
        return metric, unit, float(entry[counter]) * factor
    # No counter: one operation per iteration, the iteration's real time.
    t = entry.get("real_time")
    if t is None:
        return "per_iteration", "ns", None
    return "per_iteration", "ns", float(t) * UNIT_NS.get(entry.get("time_unit", "ns"), 1.0)


def normalise(doc, source):
    """Google Benchmark JSON -> list of results (one per benchmark)."""
    runs = {}
    order = []
    for e in doc.get("benchmarks", []):
        if e.get("run_type", "iteration") != "iteration":
            continue
        name = base_name(e.get("run_name") or e["name"])
        if name.startswith("harness/"):
            continue
        if name not in runs:
            runs[name] = []
            order.append(name)
        runs[name].append(e)
    results = []
    for name in order:
        entries = runs[name]
        group, impl, family, args = split_name(name)
        errors = [e.get("error_message", "error") for e in entries if e.get("error_occurred")]
        samples, metric, unit = [], None, None
        for e in entries:
            m, u, v = entry_value(e)
            metric, unit = metric or m, unit or u
            if v is not None and (not e.get("error_occurred") or group == "memory"):
                samples.append(v)
        r = {
            "name": name, "group": group, "impl": impl, "family": family, "args": args,
            "metric": metric, "unit": unit,
            "value": statistics.median(samples) if samples else None,
            "min": min(samples) if samples else None,
            "max": max(samples) if samples else None,
            "samples": samples,
            "cpu_per_real": None,
            "source": source,
            "error": errors[0] if errors else None,
        }
        # A benchmark whose work runs in a child process (preempt's loops)
        # reports the child's CPU over its time as counter cpu_per_real.
        cpu = [float(e["cpu_per_real"]) if isinstance(e.get("cpu_per_real"), (int, float))
               else e["cpu_time"] / e["real_time"] for e in entries
               if e.get("real_time") and "cpu_time" in e and not e.get("error_occurred")]
        if cpu:
            r["cpu_per_real"] = round(statistics.median(cpu), 3)
        if group == "memory":
            extra = {k: entries[0][k] for k in
                     ("created", "rss_before", "rss_after", "stack_committed_bytes",
                      "stack_reserved_bytes", "stack_inuse_bytes", "page_table_bytes_per_task")
                     if k in entries[0]}
            r["extra"] = extra
        extra = {}
        for counter, (key, factor) in EXTRA_COUNTERS.items():
            vals = [float(e[counter]) * factor for e in entries
                    if isinstance(e.get(counter), (int, float)) and not e.get("error_occurred")]
            if vals:
                extra[key] = statistics.median(vals)
                extra[key + "_min"], extra[key + "_max"] = min(vals), max(vals)
        if extra:
            r.setdefault("extra", {}).update(extra)
        results.append(r)
    return results


# ---- running programs -----------------------------------------------------------

class Progress:
    def __init__(self, total):
        self.total, self.done, self.start = total, 0, time.monotonic()

    def step(self, text):
        self.done += 1
        elapsed = time.monotonic() - self.start
        log("[%3d/%d %5.0fs] %s" % (self.done, self.total, elapsed, text))


def fmt_value(value, unit):
    if value is None:
        return "-"
    if unit == "B":
        return "%.0f B" % value if value < 10240 else "%.1f KiB" % (value / 1024)
    for div, u in ((1e9, "s"), (1e6, "ms"), (1e3, "us")):
        if value >= div:
            return "%.3g %s" % (value / div, u)
    return "%.3g ns" % value


def list_tests(prog, regex):
    try:
        out = subprocess.run([prog, "--benchmark_list_tests", "--benchmark_filter=" + regex],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    if out.returncode != 0:
        return None, (out.stderr or out.stdout).strip().splitlines()[-1:] or ["exit %d" % out.returncode]
    names = []
    for line in out.stdout.splitlines():
        line = line.strip()
        if line and not line.startswith("harness/"):
            names.append(base_name(line))
    return names, None


def group_regex(groups, exact=None):
    if exact:
        alts = "|".join(re.escape(n) for n in exact)
        return "^(%s)(/|$)" % alts
    return "^(%s)/" % "|".join(re.escape(g) for g in groups)


def run_gbench(prog, names, regex, opts, progress, rawdir):
    """Runs one program; streams a progress line per finished benchmark."""
    label = os.path.basename(prog)
    out_json = os.path.join(rawdir, label + ".json")
    cmd = [prog, "--benchmark_filter=" + regex,
           "--benchmark_repetitions=%d" % opts.repetitions,
           "--benchmark_min_time=%g" % opts.min_time,
           "--benchmark_out=" + out_json]
    if label != "gopeer":   # the Go peer takes only the flags above
        cmd += ["--benchmark_out_format=json", "--benchmark_format=console",
                "--benchmark_color=false", "--benchmark_counters_tabular=false"]
    log("== %s: %d benchmarks (%s)" % (label, len(names), " ".join(cmd[1:4])))
    pending = set(names)
    seen_reps = {}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        fields = line.split()
        if not fields:
            continue
        raw = fields[0]
        agg = None
        for a in ("_mean", "_median", "_stddev", "_cv"):
            if raw.endswith(a):
                agg, raw = a, raw[: -len(a)]
        name = base_name(raw)
        if name not in pending:
            if "ERROR OCCURRED" in line or "error" in line.lower():
                log("    " + line.rstrip())
            continue
        if agg is None:
            seen_reps[name] = seen_reps.get(name, 0) + 1
            if "ERROR OCCURRED" in line:
                pending.discard(name)
                progress.step("%-48s ERROR %s" % (name, line.split("ERROR OCCURRED:", 1)[-1].strip()))
            elif seen_reps[name] >= opts.repetitions:
                counter = " ".join(f for f in fields if "=" in f and f.startswith(("per_", "late_")))
                if opts.repetitions == 1:
                    pending.discard(name)
                    progress.step("%-48s %s" % (name, counter or " ".join(fields[1:3])))
        elif agg == "_median":
            counter = " ".join(f for f in fields if "=" in f and f.startswith(("per_", "late_")))
            pending.discard(name)
            progress.step("%-48s median of %d: %s" % (name, opts.repetitions,
                                                      counter or " ".join(fields[1:3])))
    rc = proc.wait()
    for name in sorted(pending):
        progress.step("%-48s (no line seen)" % name)
    if rc != 0:
        log("   %s exited with status %d" % (label, rc))
    try:
        with open(out_json) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        log("   %s: no JSON results (%s)" % (label, e))
        return [], {"what": label, "why": "exit status %d, no results: %s" % (rc, e)}
    return normalise(doc, label), (None if rc == 0 else
                                   {"what": label, "why": "exit status %d (results kept)" % rc})


def empty_result(name, metric, unit, source, error=None):
    """A result with no figure yet (a run that failed, or one to fill in)."""
    group, impl, family, args = split_name(name)
    return {"name": name, "group": group, "impl": impl, "family": family, "args": args,
            "metric": metric, "unit": unit, "value": None, "min": None, "max": None,
            "samples": [], "source": source, "error": error}


def run_memory_point(cmd, label, progress, rawdir, timeout):
    out_json = os.path.join(rawdir, label.replace("/", "_").replace(":", "") + ".json")
    try:
        p = subprocess.run(cmd + ["--out", out_json] if "gopeer" not in cmd[0] else
                           cmd + ["--benchmark_out=" + out_json],
                           capture_output=True, text=True, timeout=timeout)
        rc, err = p.returncode, p.stderr.strip()
    except subprocess.TimeoutExpired:
        progress.step("%-48s TIMEOUT after %ds" % (label, timeout))
        return [empty_result(label, "bytes_per_task", "B", os.path.basename(cmd[0]),
                             "timed out after %d s" % timeout)]
    try:
        with open(out_json) as f:
            doc = json.load(f)
        res = normalise(doc, os.path.basename(cmd[0]))
    except (OSError, ValueError) as e:
        res = [empty_result(label, "bytes_per_task", "B", os.path.basename(cmd[0]),
                            "exit status %d: %s" % (rc, (err.splitlines() or [str(e)])[-1]))]
    for r in res:
        extra = ""
        if r.get("error"):
            extra = "  (%s)" % r["error"]
        progress.step("%-48s %s%s" % (r["name"], fmt_value(r["value"], "B"), extra))
    return res


# ---- the http group: servers under wrk ---------------------------------------

WRK_UNITS = {"us": 1e3, "ms": 1e6, "s": 1e9}


def wrk_time_ns(text):
    m = re.match(r"([0-9.]+)(us|ms|s)$", text)
    return float(m.group(1)) * WRK_UNITS[m.group(2)] if m else None


def parse_wrk(out):
    """(requests/s, p99 latency ns, errors) from wrk --latency output."""
    rps = p99 = None
    errors = 0
    for line in out.splitlines():
        f = line.split()
        if line.startswith("Requests/sec:"):
            rps = float(f[1])
        elif len(f) == 2 and f[0] == "99%":
            p99 = wrk_time_ns(f[1])
        elif line.strip().startswith("Socket errors:"):
            errors += sum(int(x) for x in re.findall(r"(\d+)", line))
        elif "Non-2xx or 3xx responses:" in line:
            errors += int(f[-1])
    return rps, p99, errors


def start_server(cmd, env=None):
    """Starts a server that prints "listening on HOST:PORT"; returns (proc, port)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=env)
    line = proc.stdout.readline()
    m = re.search(r"listening on [0-9.]+:(\d+)", line)
    if not m:
        proc.kill()
        proc.wait()
        return None, "no 'listening on' line (got %r)" % line.strip()
    return proc, int(m.group(1))


def stop_server(proc):
    proc.terminate()   # SIGTERM: the servers shut down gracefully
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def http_server_launch(placement, cmd):
    """(command, environment) that start a server in a placement."""
    if placement == "shared":
        return cmd, None
    env = dict(os.environ, GOMAXPROCS="1")   # gort's and Go's servers; the thread server ignores it
    return ["taskset", "-c", "0"] + cmd, env


def http_wrk_command(placement, conns, duration, port):
    """The wrk command line for a placement."""
    prefix, threads = ([], min(2, conns)) if placement == "shared" else (["taskset", "-c", "1"], 1)
    return prefix + ["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % duration, "--latency",
                     "http://127.0.0.1:%d/" % port]


def http_pinned_unavailable():
    """Why the pinned placement cannot run here, or None."""
    if not shutil.which("taskset"):
        return "taskset not found (Debian package util-linux)"
    try:
        cpus = os.sched_getaffinity(0)
    except OSError:
        cpus = set()
    if not {0, 1} <= cpus:
        return "needs CPUs 0 and 1 (this process may run on %s)" % sorted(cpus)
    return None


def run_http(servers, conns, duration, progress, placements):
    results = []
    for placement in placements:
        for impl, cmd in servers:
            results += run_http_server(impl, cmd, placement, conns, duration, progress)
    return results


def run_http_server(impl, cmd, placement, conns, duration, progress):
    results = []
    proc, port = start_server(*http_server_launch(placement, cmd))
    for c in conns:
        name = "http/%s/conns:%d/cpus:%s" % (impl, c, placement)
        r = empty_result(name, "per_request", "ns", os.path.basename(cmd[0]))
        if proc is None:
            r["error"] = "server did not start: %s" % port
        else:
            w = subprocess.run(http_wrk_command(placement, c, duration, port),
                               capture_output=True, text=True, timeout=duration + 60)
            rps, p99, errors = parse_wrk(w.stdout)
            if not rps:
                r["error"] = "wrk: %s" % ((w.stderr or w.stdout).strip().splitlines() or ["no output"])[-1]
            else:
                v = 1e9 / rps
                r.update(value=v, min=v, max=v, samples=[v])
                r["extra"] = {"requests_per_second": rps, "p99_ns": p99, "errors": errors}
                if errors:
                    r["error"] = "%d socket errors or non-2xx responses" % errors
        desc = (r["error"] if r["value"] is None else
                "%.0f req/s, p99 %s%s" % (r["extra"]["requests_per_second"],
                                          fmt_value(r["extra"]["p99_ns"], "ns"),
                                          ", %s" % r["error"] if r["error"] else ""))
        progress.step("%-48s %s" % (name, desc))
        results.append(r)
    if proc is not None:
        stop_server(proc)
    return results


# ---- machine facts -------------------------------------------------------------

def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return None


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def cmake_cache(build, key):
    text = read(os.path.join(build, "CMakeCache.txt")) or ""
    m = re.search(r"^%s:[A-Z]+=(.*)$" % re.escape(key), text, re.M)
    return m.group(1) if m else None


def go_command():
    """The Go that built the peer: scripts/bench.sh picks the newest (GORT_GO)."""
    return os.environ.get("GORT_GO") or shutil.which("go")


def machine_facts(build, gopeer):
    cpu_model = None
    for line in (read("/proc/cpuinfo") or "").splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    osname = None
    for line in (read("/etc/os-release") or "").splitlines():
        if line.startswith("PRETTY_NAME="):
            osname = line.split("=", 1)[1].strip('"')
    thp = read("/sys/kernel/mm/transparent_hugepage/enabled")
    if thp and "[" in thp:
        thp = thp[thp.index("[") + 1: thp.index("]")]
    cc = cmake_cache(build, "CMAKE_C_COMPILER")
    cxx = cmake_cache(build, "CMAKE_CXX_COMPILER")
    boost = None
    ver = read("/usr/include/boost/version.hpp")
    if ver and os.path.exists(os.path.join(build, "bench", "bench_boost")):
        m = re.search(r'BOOST_LIB_VERSION "([^"]+)"', ver)
        boost = m.group(1).replace("_", ".") if m else None
    gbver = None
    if shutil.which("dpkg-query"):
        gbver = first_line(["dpkg-query", "-W", "-f=${Version}", "libbenchmark-dev"])
    return {
        "cpu_model": cpu_model,
        "cpus": len(os.sched_getaffinity(0)),
        "kernel": platform.release(),
        "os": osname,
        "thp": thp,
        "cc": first_line([cc, "--version"]) if cc else None,
        "cxx": first_line([cxx, "--version"]) if cxx else None,
        "go": first_line([go_command(), "version"]) if gopeer and go_command() else None,
        "boost": boost,
        "google_benchmark": gbver,
        "loadavg_start": [float(x) for x in (read("/proc/loadavg") or "0 0 0").split()[:3]],
    }


# ---- main ----------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build-bench", help="CMake build directory (Release)")
    ap.add_argument("--quick", action="store_true",
                    help="CI mode: only the gated gort/pthread pairs of the thresholds file")
    ap.add_argument("--thresholds", default=None, help="thresholds file (quick mode's list)")
    ap.add_argument("--group", default="", help="comma-separated groups (default: all)")
    ap.add_argument("--out", default=None, help="results file")
    ap.add_argument("--repetitions", type=int, default=None)
    ap.add_argument("--min-time", type=float, default=None)
    ap.add_argument("--memory-ns", default=None, help="comma-separated N for memory")
    ap.add_argument("--no-go", action="store_true", help="leave the Go peer out")
    ap.add_argument("--http-seconds", type=int, default=5, help="wrk's run per http point")
    opts = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    thresholds = opts.thresholds or os.path.join(root, "bench", "thresholds.json")
    if opts.repetitions is None:
        opts.repetitions = 3 if opts.quick else 5
    if opts.min_time is None:
        opts.min_time = 0.05 if opts.quick else 0.5
    if opts.out is None:
        opts.out = (os.path.join(opts.build, "quick.json") if opts.quick
                    else os.path.join(root, "results", "latest.json"))
    groups = [g for g in opts.group.split(",") if g] or list(ALL_GROUPS)
    unknown = [g for g in groups if g not in ALL_GROUPS]
    if unknown:
        ap.error("unknown group(s) %s; groups: %s" % (",".join(unknown), ",".join(ALL_GROUPS)))

    exact = None
    if opts.quick:
        with open(thresholds) as f:
            gates = json.load(f)["gates"]
        exact = sorted({g["gort"] for g in gates} | {g["baseline"] for g in gates})
        groups = sorted({n.split("/")[0] for n in exact})

    benchdir = os.path.join(opts.build, "bench")
    gopeer = None if opts.no_go or opts.quick else os.path.join(benchdir, "gopeer")
    skipped = []
    if gopeer and not os.path.exists(gopeer):
        why = ("go not found (Debian packages golang-1.23-go from bookworm-backports, or golang-go)"
               if not go_command()
               else "%s was not built" % gopeer)
        skipped.append({"what": "go peer", "why": why})
        log("-- Go peer: not run: " + why)
        gopeer = None
    elif opts.no_go:
        skipped.append({"what": "go peer", "why": "--no-go"})

    # Plan: which program runs which benchmarks.
    plan = []
    regex = group_regex([g for g in groups if g != "memory"], exact)
    for prog in GBENCH_PROGRAMS + (["gopeer"] if gopeer else []):
        path = os.path.join(benchdir, prog)
        if not os.path.exists(path):
            if prog == "bench_boost" and not opts.quick:
                skipped.append({"what": "boost peer",
                                "why": "bench_boost not built (Debian package libboost-fiber-dev)"})
                log("-- Boost peer: not run: bench_boost was not built "
                    "(Debian package libboost-fiber-dev)")
            elif prog != "bench_boost":
                skipped.append({"what": prog, "why": "not built"})
                log("-- %s: not built, skipped" % prog)
            continue
        names, err = list_tests(path, regex)
        if err:
            skipped.append({"what": prog, "why": "listing failed: %s" % err})
            log("-- %s: listing failed: %s" % (prog, err))
            continue
        if names:
            plan.append((path, names))

    memory_points = []
    if "memory" in groups and not opts.quick:
        ns = [int(x) for x in opts.memory_ns.split(",")] if opts.memory_ns else MEMORY_NS
        mem = os.path.join(benchdir, "bench_memory")
        for n in ns:
            if os.path.exists(mem):
                for kind in MEMORY_KINDS:
                    memory_points.append(([mem, kind, str(n)], "memory/%s/n:%d" % (kind, n)))
            if gopeer:
                memory_points.append(([gopeer, "--memory", str(n)], "memory/go/n:%d" % n))
        if not os.path.exists(mem):
            skipped.append({"what": "bench_memory", "why": "not built"})

    http_servers = []
    if "http" in groups and not opts.quick:
        if not shutil.which("wrk"):
            skipped.append({"what": "http", "why": "wrk not found (Debian package wrk)"})
            log("-- http: not run: wrk not found (Debian package wrk)")
        else:
            for impl, rel in HTTP_SERVERS:
                path = os.path.join(opts.build, rel)
                if impl == "go" and not gopeer:
                    continue
                if os.path.exists(path):
                    http_servers.append((impl, [path, "--port", "0"]))
                else:
                    skipped.append({"what": "http/%s" % impl, "why": "%s not built" % rel})

    http_placements = list(HTTP_PLACEMENTS) if http_servers else []
    why = http_pinned_unavailable() if http_servers else None
    if why:
        skipped.append({"what": "http cpus:pinned", "why": why})
        log("-- http cpus:pinned: not run: %s" % why)
        http_placements.remove("pinned")
    total = (sum(len(n) for _, n in plan) + len(memory_points)
             + len(http_servers) * len(HTTP_CONNS) * len(http_placements))
    log("== %s run: %d benchmarks, %d repetitions, min time %g s each; groups %s"
        % ("quick" if opts.quick else "full", total, opts.repetitions, opts.min_time,
           ",".join(groups)))
    facts = machine_facts(opts.build, gopeer)
    progress = Progress(total)
    started = time.monotonic()
    results = []
    rawdir = tempfile.mkdtemp(prefix="gort-bench-")
    for path, names in plan:
        res, skip = run_gbench(path, names, regex, opts, progress, rawdir)
        results += res
        if skip:
            skipped.append(skip)
    if memory_points:
        log("== memory: one fresh process per point")
    for cmd, label in memory_points:
        results += run_memory_point(cmd, label, progress, rawdir, timeout=180)
    if http_servers:
        log("== http: each server under wrk on loopback, %d s per point; placements %s"
            % (opts.http_seconds, ", ".join(http_placements)))
        results += run_http(http_servers, HTTP_CONNS, opts.http_seconds, progress, http_placements)

    doc = {
        "schema": SCHEMA,
        "mode": "quick" if opts.quick else "full",
        "command": "scripts/bench.sh" + (" --quick" if opts.quick else "")
                   + (" --group " + opts.group if opts.group else ""),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_s": round(time.monotonic() - started, 1),
        "repetitions": opts.repetitions,
        "min_time_s": opts.min_time,
        "machine": facts,
        "results": results,
        "skipped": skipped,
    }
    # A run of some groups replaces those groups in an existing file, which
    # keeps its own date and facts and lists the re-run under "reruns".
    if opts.group and not opts.quick and os.path.exists(opts.out):
        try:
            with open(opts.out) as f:
                old = json.load(f)
        except (OSError, ValueError):
            old = None
        if old and old.get("schema") == SCHEMA and old.get("mode") == "full":
            kept = [r for r in old.get("results", []) if r["group"] not in groups]
            rerun = {k: doc[k] for k in ("command", "date", "duration_s", "repetitions",
                                         "min_time_s")}
            rerun["groups"] = groups
            rerun["loadavg_start"] = facts["loadavg_start"]
            old["results"] = kept + results
            old.setdefault("reruns", []).append(rerun)
            doc = old
    os.makedirs(os.path.dirname(os.path.abspath(opts.out)), exist_ok=True)
    tmp = opts.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, opts.out)
    shutil.rmtree(rawdir, ignore_errors=True)
    errors = [r for r in results if r.get("error")]
    log("== wrote %s: %d results (%d with errors) in %.0f s"
        % (opts.out, len(results), len(errors), doc["duration_s"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
