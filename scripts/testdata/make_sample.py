#!/usr/bin/python3
"""Writes scripts/testdata/bench_sample.json: a SYNTHETIC results file (schema gort-bench/1)
with every name of bench/SUITE.md and plausible figures, the test data of scripts/plot.py
and scripts/compare.py.  Deterministic (fixed seed); rerun after changing the figures:

    scripts/testdata/make_sample.py [OUT.json]
"""
import json
import os
import random
import sys

CPUS = 4
PROCS = [1, 2, CPUS]          # bench/spawn.c's procs_args: 1, 2 and the CPU count when > 2
REPS = 3

rng = random.Random(20261128)
results = []


def family(impl):
    for fam in ("boost_context", "boost_fiber", "pthread", "gort", "go"):
        if impl == fam or impl.startswith(fam + "_"):
            return fam
    raise ValueError(impl)


def add(group, impl, args, metric, value, source, unit="ns", error=None, extra=None, reps=REPS,
        spread=0.06):
    name = "/".join([group, impl] + ["%s:%s" % (k, v) for k, v in args.items()])
    if value is None:
        samples = []
    else:
        samples = [value]                    # value is the median: as many samples below as above
        for i in range(reps - 1):
            d = rng.uniform(0.1, 1.0) * (spread / 3 if i % 2 == 0 else spread)
            samples.append(value * (1 - d if i % 2 == 0 else 1 + d))
        rng.shuffle(samples)
        samples = [round(s, 2) for s in samples]
    entry = {
        "name": name, "group": group, "impl": impl, "family": family(impl), "args": dict(args),
        "metric": metric, "unit": unit,
        "value": None if value is None else round(value, 2),
        "min": min(samples) if samples else None, "max": max(samples) if samples else None,
        "samples": samples, "source": source, "error": error,
    }
    if extra is not None:
        entry["extra"] = extra
    results.append(entry)


# spawn and spawn_batch (ns per task)
for group, fig in (("spawn", {"gort": [206.1, 348.0, 402.0], "pthread": 38150.0, "pthread_16k": 33400.0,
                              "go": [301.0, 415.0, 468.0], "boost_fiber": 1930.0}),
                   ("spawn_batch", {"gort": [121.0, 176.0, 189.0], "pthread": 26800.0, "pthread_16k": 21900.0,
                                    "go": [248.0, 297.0, 310.0], "boost_fiber": 1480.0})):
    src = "bench_spawn"
    for p, v in zip(PROCS, fig["gort"]):
        add(group, "gort", {"procs": p}, "per_task", v, src)
    add(group, "pthread", {}, "per_task", fig["pthread"], src)
    add(group, "pthread_16k", {}, "per_task", fig["pthread_16k"], src)
    for p, v in zip(PROCS, fig["go"]):
        add(group, "go", {"procs": p}, "per_task", v, "go_peer")
    add(group, "boost_fiber", {}, "per_task", fig["boost_fiber"], "boost_peer")

# yield (ns per switch)
add("yield", "gort", {}, "per_switch", 14.0, "bench_switch")
add("yield", "go", {}, "per_switch", 61.5, "go_peer")
add("yield", "boost_fiber", {}, "per_switch", 24.8, "boost_peer")
add("yield", "boost_context", {}, "per_switch", 4.12, "boost_peer")

# pingpong (ns per round trip)
for impl, vals, src in (("gort_unbuffered", [120.3, 352.0], "bench_switch"),
                        ("gort_buffered1", [109.8, 318.0], "bench_switch"),
                        ("go_unbuffered", [201.0, 383.0], "go_peer"),
                        ("go_buffered1", [188.0, 361.0], "go_peer")):
    for p, v in zip((1, 2), vals):
        add("pingpong", impl, {"procs": p}, "per_round_trip", v, src)
add("pingpong", "boost_fiber_unbuffered", {}, "per_round_trip", 176.0, "boost_peer")
for impl, vals in (("pthread_condvar", [5020.0, 60400.0]), ("pthread_futex", [2810.0, 29700.0]),
                   ("pthread_pipe", [6150.0, 44800.0])):
    for c, v in zip((1, 2), vals):
        add("pingpong", impl, {"cpus": c}, "per_round_trip", v, "bench_switch")

# pool (ns per job)
for impl, vals, src in (("gort", [152.0, 96.0, 61.0], "bench_pool"), ("go", [139.0, 104.0, 70.5], "go_peer")):
    for p, v in zip(PROCS, vals):
        add("pool", impl, {"jobs": 1000000, "procs": p}, "per_job", v, src)
add("pool", "pthread", {"jobs": 1000000}, "per_job", 1480.0, "bench_pool")

# chan_throughput (ns per item)
for impl, vals, src in (("gort", [61.0, 88.0, 119.0], "bench_chan"), ("go", [52.0, 79.0, 112.0], "go_peer"),
                        ("pthread", [296.0, 612.0, 905.0], "bench_chan")):
    for k, v in zip((1, 2, 4), vals):
        add("chan_throughput", impl, {"pairs": k}, "per_item", v, src)

# select (ns per select), timers (ns per sleep)
for impl, vals, src in (("gort", [248.0, 604.0], "bench_chan"), ("go", [181.0, 455.0], "go_peer")):
    for c, v in zip((2, 8), vals):
        add("select", impl, {"cases": c}, "per_select", v, src)
add("timers", "gort", {"n": 100000}, "per_sleep", 44.7, "bench_timers", spread=0.15)
add("timers", "go", {"n": 100000}, "per_sleep", 58.2, "go_peer", spread=0.15)

# skynet (ns per goroutine)
for impl, vals, src in (("gort", [212.0, 139.0, 104.0], "bench_skynet"), ("go", [231.0, 151.0, 99.5], "go_peer")):
    for p, v in zip(PROCS, vals):
        add("skynet", impl, {"procs": p}, "per_goroutine", v, src)

# memory (bytes per parked task; one process per point, one repetition)
NS = [1000, 10000, 100000, 1000000]
LIMITS = "vm.max_map_count = 65530, threads-max = 254813, RLIMIT_NPROC = 127406"
mem = {"gort": [9830.0, 5120.0, 4482.0, 4409.0], "gort_packed2k": [7210.0, 2905.0, 2452.0, 2381.0],
       "go": [5530.0, 3108.0, 2751.0, 2718.0], "pthread": [11800.0, 9310.0, 9120.0, 9120.0],
       "pthread_16k": [10900.0, 8610.0, 8452.0, 8452.0]}
for impl, vals in mem.items():
    src = "go_peer" if impl == "go" else "bench_memory"
    for n, v in zip(NS, vals):
        created = n
        error = None
        if impl.startswith("pthread") and n > 32748:
            created = 32748 if impl == "pthread" else 32751
            error = ("pthread_create failed after %d threads: EAGAIN (Resource temporarily unavailable); %s"
                     % (created, LIMITS))
        before = 1900000 + rng.randrange(200000)
        extra = {"created": created, "rss_before": before, "rss_after": before + int(v * created)}
        if impl.startswith("gort"):
            per = 2048 if impl == "gort_packed2k" else 4096
            extra["stack_committed_bytes"] = per * created
            extra["stack_reserved_bytes"] = (8192 if impl == "gort_packed2k" else 65536) * created
        if impl == "go":
            extra["stack_inuse_bytes"] = 2048 * created + 32768
        add("memory", impl, {"n": n}, "bytes_per_task", v, src, unit="B", error=error, extra=extra, reps=1)

# preempt: tick lateness (value = p99 in ns; the p50 and per_tick in extra, each with _min and _max, as
# scripts/bench.py writes them) and the CPU-bound loop (ns per unit of work, async:1 / async:0)
def spread3(v, lo=0.96, hi=1.05):
    return {"": v, "_min": round(v * lo, 2), "_max": round(v * hi, 2)}


for impl, p50s, p99s, src in (("gort_tick_late", [9.65e6, 5.12e6, 2.48e6], [19.8e6, 10.4e6, 5.35e6],
                               "bench_preempt"),
                              ("go_tick_late", [10.3e6, 9.9e6, 9.7e6], [20.15e6, 19.9e6, 19.7e6], "go_peer")):
    for p, p50, p99 in zip(PROCS, p50s, p99s):
        extra = {}
        for key, v in (("late_p50_ns", p50), ("late_p99_ns", p99), ("per_tick_ns", p50 + 1.0e6)):
            extra.update({key + k: x for k, x in spread3(v).items()})
        if impl.startswith("gort"):
            extra.update({"preempt_per_s" + k: x for k, x in spread3(100.0 * p).items()})
        add("preempt", impl, {"procs": p}, "late_p99", p99, src, extra=extra, spread=0.05)
for impl, vals, src in (("gort_loop", [41.52, 41.37], "bench_preempt"), ("gort_loop_alone", [41.30, 41.28],
                                                                          "bench_preempt"),
                        ("go_loop", [41.61, 41.40], "go_peer"), ("go_loop_alone", [41.35, 41.31], "go_peer")):
    for a, v in zip((1, 0), vals):
        extra = ({"preempt_per_s" + k: x for k, x in spread3(100.0 * CPUS if a else 0.0).items()}
                 if impl.startswith("gort") else None)
        add("preempt", impl, {"async": a}, "per_unit", v, src, extra=extra, spread=0.02)


doc = {
    "schema": "gort-bench/1",
    "note": "SYNTHETIC: made up by scripts/testdata/make_sample.py as test data for scripts/plot.py and "
            "scripts/compare.py; plausible figures, not a measurement.",
    "mode": "full",
    "command": "scripts/bench.sh",
    "date": "2026-11-28T10:30:00Z",
    "duration_s": 812.3,
    "repetitions": REPS,
    "machine": {"cpu_model": "AMD EPYC 7B13", "cpus": CPUS, "kernel": "6.18.0-1-cloud-amd64",
                "os": "Debian GNU/Linux 12 (bookworm)", "thp": "madvise", "cc": "gcc 12.2.0",
                "cxx": "g++ 12.2.0", "go": "go1.19.8", "boost": "1.74", "google_benchmark": "1.7.1",
                "loadavg_start": [0.12, 0.2, 0.31]},
    "results": results,
    "skipped": [],
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                         "bench_sample.json")
text = json.dumps(dict(doc, results=[], skipped=[]), indent=1, ensure_ascii=False)
lines = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in results)    # one result a line
text = text.replace('"results": []', '"results": [\n' + lines + '\n ]')
with open(out, "w") as f:
    f.write(text + "\n")
print("wrote %s (%d results)" % (out, len(results)))
