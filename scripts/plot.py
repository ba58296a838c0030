#!/usr/bin/python3
"""plot.py: the suite's figures from a results file (schema gort-bench/1).

    scripts/plot.py RESULTS.json [--outdir results/] [--thresholds bench/thresholds.json]

Writes, each only when its groups have data (otherwise it says so and goes on):
  spawn.png    spawn and spawn_batch: time per task by implementation (log bars)
  switch.png   yield (per switch) and pingpong (per round trip, grouped by 1 / 2 CPUs; log bars)
  memory.png   bytes per parked task against N (log-log), failed creations marked ✕, the 4.5 kB target
  pool.png     worker-pool throughput (jobs/s = 1e9 / per_job ns) by implementation and procs
  scaling.png  pool jobs/s and skynet time per goroutine against procs (GOMAXPROCS), gort vs Go
  chan.png     chan_throughput per item by pairs, select per case count, timers per sleep
  cond.png     sync.Cond: cond's time per round against the waiters (log-log lines per implementation and
               procs), cond_pingpong's round trip grouped by 1 / 2 CPUs (log bars)
  preempt.png  preemption: tick lateness (p50, p99) by procs, and the CPU-bound loop's time per unit with
               the preemption signal on and off (the ratio written above each pair), gort vs Go (its version
               from the results' machine facts)
Colours are fixed per family (gort, go, pthread, boost), the same in every figure; variants of a
family are shades of its colour.  Needs matplotlib (Debian's python3-matplotlib).
"""
import argparse
import os
import re
import sys

sys.dont_write_bytecode = True     # no __pycache__ in scripts/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (loading, names and units: the same as the comparisons')

import matplotlib  # noqa: E402
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import colors as mcolors  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, MaxNLocator  # noqa: E402

DPI = 110
COLOURS = {"gort": "#e8590c", "go": "#00a3cc", "boost": "#7b4fd6", "pthread": "#6c757d"}
FAMILY_ORDER = ("gort", "go", "boost", "pthread")
FAMILY_LABEL = {"gort": "gort", "go": "Go", "boost": "Boost", "pthread": "pthreads"}
# shade of a variant: > 0 lightens towards white, < 0 darkens
SHADES = {"buffered1": 0.4, "16k": 0.4, "pipe": 0.45, "packed2k": -0.35, "futex": -0.3, "context": -0.35,
          "fcontext": -0.6, "p50": 0.45, "off": 0.5}
# order of implementations within a family (others after, alphabetically)
IMPL_ORDER = ("gort", "gort_unbuffered", "gort_buffered1", "gort_packed2k", "go", "go_unbuffered",
              "go_buffered1", "boost_fiber", "boost_fiber_unbuffered", "boost_context", "boost_fcontext",
              "pthread", "pthread_16k", "pthread_futex", "pthread_condvar", "pthread_pipe")


def fam_key(family):
    """gort, go, pthread, boost (both Boost families share one colour)."""
    return "boost" if family.startswith("boost") else family


def colour(impl):
    fam = fam_key(compare.family_of(impl))
    base = mcolors.to_rgb(COLOURS.get(fam, "#333333"))
    shade = 0.0
    for suffix, s in SHADES.items():
        if impl.endswith("_" + suffix):
            shade = s
    if shade > 0:
        return tuple(c + (1 - c) * shade for c in base)
    return tuple(c * (1 + shade) for c in base)


def impl_rank(impl):
    fam = fam_key(compare.family_of(impl))
    f = FAMILY_ORDER.index(fam) if fam in FAMILY_ORDER else len(FAMILY_ORDER)
    i = IMPL_ORDER.index(impl) if impl in IMPL_ORDER else len(IMPL_ORDER)
    return (f, i, impl)


def to_ns(r):
    """An entry's value in ns (time metrics), or None."""
    v = r.get("value")
    if v is None:
        return None
    return v * {"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9}.get(r.get("unit") or "ns", 1)


def arg(r, key):
    v = (r.get("args") or {}).get(key)
    try:
        return int(v)
    except (TypeError, ValueError):
        return v


def impl_label(impl):
    """'boost_fiber' -> 'boost\nfiber': tick labels stay narrow."""
    return impl.replace("_", "\n", 1) if len(impl) > 7 and "_" in impl else impl


def args_label(r, skip=()):
    return " ".join("%s:%s" % (k, v) for k, v in (r.get("args") or {}).items() if k not in skip)


# ---- tick formatters -------------------------------------------------------------------

def _g(x):
    return ("%.3g" % x).rstrip(".")


def tick_ns(v, _pos=None):
    if v <= 0:
        return "0" if v == 0 else ""
    for scale, name in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
        if v >= scale:
            return "%s %s" % (_g(v / scale), name)
    return "%s ns" % _g(v)


def tick_bytes(v, _pos=None):
    if v <= 0:
        return ""
    if v >= 1e6:
        return "%s MB" % _g(v / 1e6)
    if v >= 1e3:
        return "%s kB" % _g(v / 1e3)
    return "%s B" % _g(v)


def tick_rate(v, _pos=None):
    if v >= 1e6:
        return "%sM" % _g(v / 1e6)
    if v >= 1e3:
        return "%sk" % _g(v / 1e3)
    return _g(v)


def fmt_rate(v):
    return tick_rate(v) + "/s"


def fmt_n(n):
    return {1000: "1k", 10000: "10k", 100000: "100k", 1000000: "1M", 10000000: "10M"}.get(n, "{:,}".format(n))


def log_time_axis(ax, label):
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 3.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(tick_ns))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylabel(label)
    ax.grid(axis="y", which="major", alpha=0.3)
    ax.set_axisbelow(True)


# ---- the figures' frame ----------------------------------------------------------------

class Plotter:
    def __init__(self, doc, outdir):
        self.doc = doc
        self.outdir = outdir
        self.machine = compare.machine_line(doc)
        self.quick = doc.get("mode") == "quick"
        self.written = []
        self.noted = set()
        self.groups = {}
        for r in doc["results"]:
            self.groups.setdefault(r.get("group") or compare.parse_name(r["name"])[0], []).append(r)

    def entries(self, group):
        """A group's entries, in family / implementation / argument order; none when not one of
        them has a value (a panel of nothing but failures would be empty: compare.py lists them)."""
        rs = list(self.groups.get(group, []))
        if rs and all(r.get("value") is None for r in rs):
            if group not in self.noted:
                self.noted.add(group)
                print("plot.py: %s has no values (%d entries, all failed or empty): left out" % (group, len(rs)))
            return []
        rs.sort(key=lambda r: (impl_rank(r["impl"]), compare._natural(compare.norm_name(r["name"]))))
        return rs

    def figure(self, ncols, title, width=10.5, height=4.8, width_ratios=None, nrows=1):
        """A figure of nrows x ncols panels; its axes row by row."""
        fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), constrained_layout=True,
                                 gridspec_kw={"width_ratios": width_ratios} if width_ratios else None,
                                 squeeze=False)
        run = " (quick run)" if self.quick else ""
        fig.suptitle("%s%s\n%s" % (title, run, self.machine), fontsize=11)
        return fig, [ax for row in axes for ax in row]

    def save(self, fig, name):
        path = os.path.join(self.outdir, name)
        fig.savefig(path, dpi=DPI)
        plt.close(fig)
        self.written.append(path)

    def skip(self, name, groups):
        print("plot.py: %s skipped: no data for %s" % (name, " or ".join(groups)))


def family_legend(ax, impls, loc="upper left", by_impl=False, **kw):
    """A legend of the families (or implementations) present."""
    if by_impl:
        handles = [Patch(facecolor=colour(i), edgecolor="black", linewidth=0.5, label=i) for i in impls]
    else:
        fams = []
        for i in impls:
            f = fam_key(compare.family_of(i))
            if f not in fams:
                fams.append(f)
        fams.sort(key=lambda f: FAMILY_ORDER.index(f) if f in FAMILY_ORDER else 99)
        handles = [Patch(facecolor=COLOURS.get(f, "#333333"), label=FAMILY_LABEL.get(f, f)) for f in fams]
    if handles:
        ax.legend(handles=handles, loc=loc, fontsize=8, framealpha=0.9, **kw)


def draw_bars(ax, xs, entries, values, width, log, fmt, rotate=False, fontsize=7.5):
    """Bars with min/max whiskers and value labels; failed entries hatched, null ones marked."""
    for x, r, v in zip(xs, entries, values):
        c = colour(r["impl"])
        err = r.get("error")
        if v is None or v <= 0:
            ax.text(x, 0.02, "failed" if err else "no value", transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", rotation=90, fontsize=fontsize, color="#c92a2a")
            continue
        ax.bar(x, v, width, color=c, edgecolor="black", linewidth=0.5, hatch="//" if err else None)
        top = v
        lo, hi = r.get("min"), r.get("max")
        if lo is not None and hi is not None and lo <= v <= hi and hi > lo and r.get("unit") != "B":
            scale = v / r["value"]
            ax.plot([x, x], [lo * scale, hi * scale], color="black", linewidth=0.8)
            top = max(top, hi * scale)
        label = fmt(v) + (" (error)" if err else "")
        ypos = top * (1.12 if log else 1.0)
        ax.annotate(label, (x, ypos), xytext=(0, 0 if log else 2), textcoords="offset points",
                    ha="center", va="bottom", fontsize=fontsize, rotation=90 if rotate else 0)


def headroom(ax, values, log, factor_log=6.0, factor_lin=1.18, rotate=False):
    vals = [v for v in values if v is not None and v > 0]
    if not vals:
        return
    if log:
        lo, hi = min(vals), max(vals)
        ax.set_ylim(lo / 2.5, hi * (factor_log * (2.5 if rotate else 1)))
    else:
        ax.set_ylim(0, max(vals) * (factor_lin * (1.25 if rotate else 1)))


def simple_bars(ax, rs, log=True, value=to_ns, fmt=lambda v: compare.fmt_value(v, "ns"), label=None,
                rotate=None):
    """One bar per entry, x labels 'impl\\nargs'."""
    xs = list(range(len(rs)))
    vals = [value(r) for r in rs]
    if rotate is None:
        rotate = len(rs) > 10
    draw_bars(ax, xs, rs, vals, 0.7, log, fmt, rotate=rotate)
    ax.set_xticks(xs)
    ax.set_xticklabels([(label or (lambda r: impl_label(r["impl"]) + ("\n" + args_label(r) if r.get("args")
                                                                      else "")))(r) for r in rs], fontsize=8)
    ax.set_xlim(-0.6, len(rs) - 0.4)
    headroom(ax, vals, log, rotate=rotate)


def grouped_bars(ax, groups, impls, lookup, log, fmt, value=to_ns, rotate=False, group_label=str):
    """Bars of impls side by side within each group; lookup(group, impl) -> entry or None.
    Returns the values drawn."""
    width = 0.8 / max(len(impls), 1)
    drawn = []
    for gi, g in enumerate(groups):
        present = [i for i in impls if lookup(g, i) is not None]
        n = len(present)
        for k, impl in enumerate(present):
            r = lookup(g, impl)
            x = gi + (k - (n - 1) / 2) * width
            v = value(r)
            draw_bars(ax, [x], [r], [v], width * 0.92, log, fmt, rotate=rotate)
            drawn.append(v)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([group_label(g) for g in groups], fontsize=9)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    headroom(ax, drawn, log, rotate=rotate)
    return drawn


# ---- spawn.png ---------------------------------------------------------------------------

def plot_spawn(p):
    groups = [g for g in ("spawn", "spawn_batch") if p.entries(g)]
    if not groups:
        return p.skip("spawn.png", ["spawn", "spawn_batch"])
    counts = [len(p.entries(g)) for g in groups]
    fig, axes = p.figure(len(groups), "Spawn: create a task, run it, wait for it (time per task, lower is better)",
                         width_ratios=counts)
    impls = []
    for ax, g in zip(axes, groups):
        rs = p.entries(g)
        simple_bars(ax, rs)
        log_time_axis(ax, "time per task (log scale)")
        ax.set_title({"spawn": "spawn: one at a time", "spawn_batch": "spawn_batch: 1000, then wait for all"}[g],
                     fontsize=10)
        impls += [r["impl"] for r in rs]
    ylims = [ax.get_ylim() for ax in axes]
    for ax in axes:      # one scale for both panels: the bars compare across them
        ax.set_ylim(min(l for l, _ in ylims), max(h for _, h in ylims))
    family_legend(axes[0], impls)
    p.save(fig, "spawn.png")


# ---- switch.png --------------------------------------------------------------------------

def plot_switch(p):
    ys, ps = p.entries("yield"), p.entries("pingpong")
    if not ys and not ps:
        return p.skip("switch.png", ["yield", "pingpong"])
    panels = ([("yield", ys)] if ys else []) + ([("pingpong", ps)] if ps else [])
    ratios = [max(len(ys), 2) if k == "yield" else max(len(ps), 4) for k, _ in panels]
    fig, axes = p.figure(len(panels), "Context switches (lower is better)", width=11, height=5.2,
                         width_ratios=ratios)
    impls = []
    for ax, (kind, rs) in zip(axes, panels):
        if kind == "yield":
            simple_bars(ax, rs, rotate=False)
            log_time_axis(ax, "time per switch (log scale)")
            ax.set_title("yield: two tasks on one thread", fontsize=10)
            impls += [r["impl"] for r in rs]
        else:
            def level(r):
                return arg(r, "procs") if arg(r, "procs") is not None else (arg(r, "cpus") or 1)
            levels = sorted(set(level(r) for r in rs), key=lambda x: (not isinstance(x, int), str(x)))
            levels = sorted(levels, key=lambda x: x if isinstance(x, int) else 1 << 30)
            pimpls = sorted(set(r["impl"] for r in rs), key=impl_rank)
            table = {(level(r), r["impl"]): r for r in rs}
            grouped_bars(ax, levels, pimpls, lambda g, i: table.get((g, i)), True,
                         lambda v: compare.fmt_value(v, "ns"), rotate=True,
                         group_label=lambda g: ("1 CPU\n(procs:1, cpus:1%s)" % (
                             "; boost: one thread" if any(i.startswith("boost") for i in pimpls) else "")
                             if g == 1 else "%s CPUs\n(procs:%s, cpus:%s)" % (g, g, g)))
            log_time_axis(ax, "time per round trip (log scale)")
            ax.set_title("pingpong: a round trip between two tasks", fontsize=10)
            family_legend(ax, pimpls, by_impl=True, ncol=2, loc="upper left")
    if ys:
        family_legend(axes[0], impls)
    p.save(fig, "switch.png")


# ---- memory.png --------------------------------------------------------------------------

ERRNO = re.compile(r"\b(E[A-Z]{2,})\b")


def memory_target(path):
    """(bytes, label) of the thresholds' absolute memory target; 4500 B when there is none."""
    try:
        thr = compare.load_thresholds(os.path.normpath(path))
        for t in thr.get("targets", []):
            if t.get("kind") == "absolute" and t["gort"].startswith("memory/"):
                _, impl, args = compare.parse_name(t["gort"])
                n = args.get("n")
                where = "%s, N=%s" % (impl, fmt_n(int(n)) if n and n.isdigit() else n) if n else impl
                return float(t["value"]), "target: ≤ %s per task (%s)" % (tick_bytes(t["value"]), where)
    except compare.Malformed as e:
        print("plot.py: %s; memory target 4.5 kB" % e)
    return 4500.0, "target: 4.5 kB per task (gort, N=1M)"


def plot_memory(p, target=(4500.0, "target: 4.5 kB per task (gort, N=1M)")):
    target, target_label = target
    rs = [r for r in p.entries("memory") if arg(r, "n") is not None]
    if not rs:
        return p.skip("memory.png", ["memory"])
    fig, axes = p.figure(1, "Memory: RSS per parked task (lower is better)", width=10, height=5.6)
    ax = axes[0]
    impls = sorted(set(r["impl"] for r in rs), key=impl_rank)
    markers = ["o", "s", "^", "D", "v", "P", "<", ">"]
    notes, allv, ns = [], [], set()
    for k, impl in enumerate(impls):
        pts = sorted((r for r in rs if r["impl"] == impl), key=lambda r: arg(r, "n"))
        c = colour(impl)
        xs, vs, fail = [], [], None
        for r in pts:
            ns.add(arg(r, "n"))
            if r.get("error"):
                fail = r
                if r.get("value") is not None:
                    xs.append(arg(r, "n"))
                    vs.append(r["value"])
                break          # the line ends at the first failed creation
            if r.get("value") is not None:
                xs.append(arg(r, "n"))
                vs.append(r["value"])
        allv += vs
        ax.plot(xs, vs, marker=markers[k % len(markers)], color=c, linewidth=1.8, markersize=5,
                markeredgecolor="black", markeredgewidth=0.4, label=impl)
        if fail is not None and xs:
            ax.plot([xs[-1]], [vs[-1]], marker="X", markersize=13, color=c, markeredgecolor="#c92a2a",
                    markeredgewidth=1.5, linestyle="none", zorder=5)
            m = ERRNO.search(fail["error"])
            created = (fail.get("extra") or {}).get("created")
            why = m.group(1) if m else "error"
            if created is not None:
                why += ", %s created" % "{:,}".format(int(created))
            notes.append((impl, xs[-1], vs[-1], "%s: creation failed at N=%s (%s)" %
                          (impl, "{:,}".format(arg(fail, "n")), why), c))
        elif xs:
            ax.annotate(compare.fmt_value(vs[-1], "B"), (xs[-1], vs[-1]), xytext=(8, 0),
                        textcoords="offset points", va="center", fontsize=8, color=c,
                        bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none"))
    ax.set_xscale("log")
    ax.set_yscale("log")
    if allv:
        ax.set_ylim(min(allv + [target]) / 1.6, max(allv + [target]) * 2.2)
    xs_all = sorted(ns)
    ax.set_xlim(xs_all[0] / 2, xs_all[-1] * 3)
    ax.set_xticks(xs_all)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_n(int(round(v)))))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(tick_bytes))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("N, tasks parked at once (log scale)")
    ax.set_ylabel("RSS per parked task (kB = 1000 B, log scale)")
    ax.grid(which="major", alpha=0.3)
    ax.axhline(target, color="black", linestyle="--", linewidth=1)
    ax.annotate(target_label, (0.01, target), xycoords=("axes fraction", "data"),
                xytext=(0, -3), textcoords="offset points", va="top", fontsize=8)
    # failure notes: stacked at the top left, an arrow to each ✕
    for k, (impl, x, y, text, c) in enumerate(notes):
        ax.annotate("✕ " + text, (x, y), xytext=(0.33, 0.97 - 0.075 * k), textcoords="axes fraction",
                    ha="left", va="top", fontsize=8, color="#c92a2a",
                    bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=c, lw=0.8),
                    arrowprops=dict(arrowstyle="->", color=c, lw=0.8, shrinkB=7))
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    p.save(fig, "memory.png")


# ---- pool.png and scaling.png --------------------------------------------------------------

def jobs_per_s(r):
    ns = to_ns(r)
    return 1e9 / ns if ns else None


def plot_pool(p):
    rs = p.entries("pool")
    if not rs:
        return p.skip("pool.png", ["pool"])
    with_procs = [r for r in rs if arg(r, "procs") is not None]
    without = [r for r in rs if arg(r, "procs") is None]
    procs = sorted(set(arg(r, "procs") for r in with_procs), key=lambda x: (not isinstance(x, int), x))
    impls = sorted(set(r["impl"] for r in with_procs), key=impl_rank)
    table = {(arg(r, "procs"), r["impl"]): r for r in with_procs}
    groups = ["procs:%s" % x for x in procs] + [r["impl"] for r in without]
    lookup = {}
    for g, x in zip(groups, procs):
        for i in impls:
            if (x, i) in table:
                lookup[(g, i)] = table[(x, i)]
    for r in without:
        lookup[(r["impl"], r["impl"])] = r
    all_impls = impls + [r["impl"] for r in without if r["impl"] not in impls]
    fig, axes = p.figure(1, "Worker pool: 4 workers, 1,000,000 jobs from one queue (throughput, higher is better)",
                         width=10, height=4.8)
    ax = axes[0]
    rot = len(groups) * len(impls) > 14
    grouped_bars(ax, groups, all_impls, lambda g, i: lookup.get((g, i)), False, fmt_rate, value=jobs_per_s,
                 rotate=rot,
                 group_label=lambda g: ("GOMAXPROCS %s" % g.split(":")[1]) if g.startswith("procs:")
                 else "%s\n(4 worker threads)" % g)
    ax.yaxis.set_major_formatter(FuncFormatter(tick_rate))
    ax.set_ylabel("jobs per second (1e9 / ns per job)")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    family_legend(ax, all_impls)
    p.save(fig, "pool.png")


# ---- http.png ----------------------------------------------------------------------------

def http_extra(r, key):
    v = (r.get("extra") or {}).get(key)
    return float(v) if isinstance(v, (int, float)) else None


# Where server and wrk ran (bench.py's HTTP_PLACEMENTS); entries of runs made before the
# pinned placement existed carry no cpus argument and shared the CPUs.
HTTP_PLACEMENT_TITLES = {
    "shared": "server and wrk share both CPUs (default GOMAXPROCS)",
    "pinned": "server pinned to CPU 0 at GOMAXPROCS 1, wrk pinned to CPU 1",
}


def http_placement(r):
    return arg(r, "cpus") or "shared"


def plot_http(p):
    rs = [r for r in p.entries("http") if http_extra(r, "requests_per_second")]
    if not rs:
        return p.skip("http.png", ["http"])
    placements = [pl for pl in HTTP_PLACEMENT_TITLES if any(http_placement(r) == pl for r in rs)]
    placements += sorted(set(http_placement(r) for r in rs) - set(placements))
    conns = sorted(set(arg(r, "conns") for r in rs), key=lambda x: (not isinstance(x, int), x))
    impls = sorted(set(r["impl"] for r in rs), key=impl_rank)
    table = {(http_placement(r), arg(r, "conns"), r["impl"]): r for r in rs}
    fig, axes = p.figure(2, "HTTP/1.1 server under wrk on loopback: \"/\" with keep-alive, one connection "
                            "per client", width=12, height=4.8 * len(placements), nrows=len(placements))
    for row, placement in enumerate(placements):
        where = HTTP_PLACEMENT_TITLES.get(placement, placement)
        panels = ((axes[2 * row], "requests_per_second", False, fmt_rate,
                   "requests per second (higher is better)", "throughput"),
                  (axes[2 * row + 1], "p99_ns", True, lambda v: compare.fmt_value(v, "ns"),
                   "99th percentile latency (log scale, lower is better)", "tail latency"))
        for ax, key, log, fmt, ylabel, title in panels:
            grouped_bars(ax, conns, impls, lambda c, i, pl=placement: table.get((pl, c, i)), log, fmt,
                         value=lambda r, k=key: http_extra(r, k),
                         group_label=lambda c: "%s connections" % c)
            if log:
                log_time_axis(ax, ylabel)
            else:
                ax.yaxis.set_major_formatter(FuncFormatter(tick_rate))
                ax.set_ylabel(ylabel)
            ax.set_title("%s: %s" % (title, where), fontsize=10)
            ax.grid(axis="y", alpha=0.3)
            ax.set_axisbelow(True)
        family_legend(axes[2 * row + 1], impls, loc="upper left")   # the latency panel's left is low
    p.save(fig, "http.png")


def line_panel(ax, rs, value, ylabel, title, yfmt, zero=True, flat_label=None):
    """value against procs, one line per implementation; entries without procs as dashed levels."""
    with_procs = [r for r in rs if isinstance(arg(r, "procs"), int)]
    impls = sorted(set(r["impl"] for r in with_procs), key=impl_rank)
    allx, ally = set(), []
    for impl in impls:
        pts = sorted((r for r in with_procs if r["impl"] == impl), key=lambda r: arg(r, "procs"))
        xs = [arg(r, "procs") for r in pts if value(r) is not None]
        ys = [value(r) for r in pts if value(r) is not None]
        allx.update(xs)
        ally += ys
        ax.plot(xs, ys, marker="o", color=colour(impl), linewidth=2, label=impl,
                markeredgecolor="black", markeredgewidth=0.4)
    for r in rs:
        if r not in with_procs and value(r) is not None:
            ax.axhline(value(r), color=colour(r["impl"]), linestyle="--", linewidth=1.2,
                       label=flat_label(r) if flat_label else "%s (%s)" % (r["impl"], args_label(r) or "no procs"))
            ally.append(value(r))
    ax.set_xlabel("procs (GOMAXPROCS)")
    ax.set_xticks(sorted(allx))
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.yaxis.set_major_formatter(FuncFormatter(yfmt))
    if ally and zero:
        ax.set_ylim(0, max(ally) * 1.2)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")


def plot_scaling(p):
    pool = [r for r in p.entries("pool") if isinstance(arg(r, "procs"), int)]
    sky = p.entries("skynet")
    if not pool and not sky:
        return p.skip("scaling.png", ["pool", "skynet"])
    panels = ([("pool", p.entries("pool"))] if pool else []) + ([("skynet", sky)] if sky else [])
    fig, axes = p.figure(len(panels), "Scaling with GOMAXPROCS", width=10.5, height=4.6)
    for ax, (kind, rs) in zip(axes, panels):
        if kind == "pool":
            line_panel(ax, rs, jobs_per_s, "jobs per second (higher is better)", "pool: 1,000,000 jobs, 4 workers",
                       tick_rate, flat_label=lambda r: "%s (4 worker threads)" % r["impl"])
        else:
            line_panel(ax, rs, to_ns, "time per goroutine (lower is better)",
                       "skynet: 1,111,111 tasks in a tree of 10s", tick_ns)
    p.save(fig, "scaling.png")


# ---- chan.png ----------------------------------------------------------------------------

def plot_chan(p):
    specs = [("chan_throughput", "pairs", "chan_throughput:\nK producers to K consumers, 1M items", "time per item",
              lambda g: "pairs:%s" % g),
             ("select", "cases", "select over C channels\n(GOMAXPROCS 1)", "time per select",
              lambda g: "cases:%s" % g),
             ("timers", "n", "timers: n tasks ×\n10 sleeps of 1 ms", "time per sleep",
              lambda g: "n:%s" % fmt_n(g) if isinstance(g, int) else str(g))]
    panels = [s for s in specs if p.entries(s[0])]
    if not panels:
        return p.skip("chan.png", [s[0] for s in specs])
    widths = []
    for s in panels:
        rs = p.entries(s[0])
        widths.append(max(len(rs), 2) + 1.5)
    fig, axes = p.figure(len(panels), "Channels, select and timers (lower is better)", width=11.5, height=5,
                         width_ratios=widths)
    for ax, (group, key, title, ylabel, glabel) in zip(axes, panels):
        rs = p.entries(group)
        gs = sorted(set(arg(r, key) for r in rs), key=lambda x: (not isinstance(x, int), str(x) if not
                                                                  isinstance(x, int) else x))
        impls = sorted(set(r["impl"] for r in rs), key=impl_rank)
        table = {(arg(r, key), r["impl"]): r for r in rs}
        vals = [to_ns(r) for r in rs if to_ns(r)]
        log = bool(vals) and max(vals) / min(vals) > 8
        grouped_bars(ax, gs, impls, lambda g, i: table.get((g, i)), log, lambda v: compare.fmt_value(v, "ns"),
                     rotate=len(impls) * len(gs) > 4, group_label=glabel)
        if log:
            log_time_axis(ax, ylabel + " (log scale)")
        else:
            ax.yaxis.set_major_locator(MaxNLocator(6))
            ax.yaxis.set_major_formatter(FuncFormatter(tick_ns))
            ax.set_ylabel(ylabel)
            ax.grid(axis="y", alpha=0.3)
            ax.set_axisbelow(True)
        ax.set_title(title, fontsize=10)
        family_legend(ax, impls, by_impl=True)
    p.save(fig, "chan.png")


# ---- cond.png ----------------------------------------------------------------------------

def lighten(rgb, f):
    return tuple(c + (1 - c) * f for c in rgb)


def cond_lines(ax, rs):
    """cond: time per round against the number of waiters, one line per implementation and procs
    (procs:1 solid, more procs dashed and lighter; pthreads: threads), whiskers = min/max of the runs,
    failed points marked ✕ at the bottom."""
    series = {}
    for r in rs:
        if isinstance(arg(r, "waiters"), int):
            series.setdefault((r["impl"], arg(r, "procs")), []).append(r)
    waiters, ally = set(), []
    markers = {"gort": "o", "go": "s", "pthread": "^"}
    for (impl, procs), pts in sorted(series.items(), key=lambda kv: (impl_rank(kv[0][0]), str(kv[0][1]))):
        pts.sort(key=lambda r: arg(r, "waiters"))
        waiters.update(arg(r, "waiters") for r in pts)
        ok = [r for r in pts if to_ns(r)]
        c = colour(impl)
        many = isinstance(procs, int) and procs > 1
        if many:
            c = lighten(c, 0.35)
        label = "%s procs:%s" % (impl, procs) if procs is not None else "%s (threads)" % impl
        failed = [arg(r, "waiters") for r in pts if not to_ns(r)]
        if failed:
            label += " (failed: W=%s)" % ",".join(str(w) for w in failed)
        xs = [arg(r, "waiters") for r in ok]
        ys = [to_ns(r) for r in ok]
        lo = [max(y - (r["min"] * y / r["value"] if isinstance(r.get("min"), (int, float)) else y), 0)
              for r, y in zip(ok, ys)]
        hi = [max((r["max"] * y / r["value"] if isinstance(r.get("max"), (int, float)) else y) - y, 0)
              for r, y in zip(ok, ys)]
        ally += ys
        ax.errorbar(xs, ys, yerr=[lo, hi], color=c, linewidth=2, linestyle="--" if many else "-",
                    marker=markers.get(compare.family_of(impl), "D"), markersize=5, markeredgecolor="black",
                    markeredgewidth=0.4, capsize=2, elinewidth=0.8, label=label)
        for w in failed:
            ax.plot([w], [0.04], marker="X", markersize=10, color=c, markeredgecolor="#c92a2a",
                    transform=ax.get_xaxis_transform(), linestyle="none", zorder=5)
    ax.set_xscale("log", base=2)
    ws = sorted(waiters)
    if ws:
        ax.set_xticks(ws)
        ax.set_xlim(ws[0] / 1.4, ws[-1] * 1.4)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: "%d" % round(v)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    log_time_axis(ax, "time per round (log scale)")
    if ally:
        ax.set_ylim(min(ally) / 2, max(ally) * 4)
    ax.set_xlabel("waiters W (W + 1 tasks: a round is W waits and one broadcast)")
    ax.set_title("cond: Go's BenchmarkCond1 … Cond32 (package sync), ported", fontsize=10)
    ax.grid(axis="y", which="major", alpha=0.3)
    ax.legend(fontsize=7.5, loc="upper left", ncol=2, framealpha=0.9)


def plot_cond(p):
    cs, pps = p.entries("cond"), p.entries("cond_pingpong")
    if not cs and not pps:
        return p.skip("cond.png", ["cond", "cond_pingpong"])
    panels = ([("cond", cs)] if cs else []) + ([("cond_pingpong", pps)] if pps else [])
    fig, axes = p.figure(len(panels), "sync.Cond: gort_cond, Go's sync.Cond, pthread_cond_t (lower is better)",
                         width=12, height=5.2, width_ratios=[3, 2] if len(panels) == 2 else None)
    for ax, (kind, rs) in zip(axes, panels):
        if kind == "cond":
            cond_lines(ax, rs)
            continue
        def level(r):
            return arg(r, "procs") if arg(r, "procs") is not None else (arg(r, "cpus") or 1)
        levels = sorted(set(level(r) for r in rs), key=lambda x: x if isinstance(x, int) else 1 << 30)
        impls = sorted(set(r["impl"] for r in rs), key=impl_rank)
        table = {(level(r), r["impl"]): r for r in rs}
        grouped_bars(ax, levels, impls, lambda g, i: table.get((g, i)), True,
                     lambda v: compare.fmt_value(v, "ns"), rotate=len(levels) * len(impls) > 6,
                     group_label=lambda g: ("1 CPU\n(procs:1, cpus:1)" if g == 1 else
                                            "%s CPUs\n(procs:%s, cpus:%s)" % (g, g, g)))
        log_time_axis(ax, "time per round trip (log scale)")
        ax.set_title("cond_pingpong: two tasks take turns\nthrough one cond and a mutex (Signal)", fontsize=10)
        family_legend(ax, impls, by_impl=True, loc="upper left")
    p.save(fig, "cond.png")


# ---- preempt.png -------------------------------------------------------------------------

def go_version(doc):
    """'Go 1.19.8' from the machine facts' `go version` line, or 'Go'."""
    m = re.search(r"go(\d+\.\d+(?:\.\d+)?)", str((doc.get("machine") or {}).get("go") or ""))
    return "Go %s" % m.group(1) if m else "Go"


def extra_entry(r, key, impl):
    """A pseudo-entry for draw_bars: r's extra[key] (with its _min/_max) as the figure of `impl`."""
    x = r.get("extra") or {}
    v = x.get(key)
    return {"impl": impl, "unit": "ns", "error": r.get("error"), "args": r.get("args"),
            "value": v if isinstance(v, (int, float)) else None,
            "min": x.get(key + "_min"), "max": x.get(key + "_max")}


def bar_top(e):
    """The top of an entry's bar with its whisker (the max of the repetitions), in ns."""
    v = to_ns(e)
    if v is None:
        return None
    hi = e.get("max")
    return max(v, hi * v / e["value"]) if isinstance(hi, (int, float)) and e.get("value") else v


def plot_preempt(p):
    rs = p.entries("preempt")
    ticks = [r for r in rs if r["impl"].endswith("_tick_late") and isinstance(arg(r, "procs"), int)]
    loops = [r for r in rs if "_loop" in r["impl"] and arg(r, "async") in (0, 1)]
    if not ticks and not loops:
        return p.skip("preempt.png", ["preempt"])
    gov = go_version(p.doc)
    fam_name = {"gort": "gort", "go": gov}
    panels = ([("tick", ticks)] if ticks else []) + ([("loop", loops)] if loops else [])
    fig, axes = p.figure(len(panels), "Asynchronous preemption: gort vs %s" % gov, width=12, height=5.2)
    for ax, (kind, entries) in zip(axes, panels):
        if kind == "tick":
            procs = sorted(set(arg(r, "procs") for r in entries))
            fams = sorted(set(compare.family_of(r["impl"]) for r in entries), key=lambda f: impl_rank(f))
            table = {}
            impls = []
            for r in entries:
                fam = compare.family_of(r["impl"])
                for q, key in (("p50", "late_p50_ns"), ("p99", None)):
                    impl = "%s_%s" % (fam, q)
                    table[(arg(r, "procs"), impl)] = (extra_entry(r, key, impl) if key else
                                                      dict(r, impl=impl))
            for fam in fams:
                impls += ["%s_p50" % fam, "%s_p99" % fam]
            vals = [to_ns(e) for e in table.values() if to_ns(e)]
            tops = [t for t in (bar_top(e) for e in table.values()) if t]
            log = bool(vals) and max(tops) / min(vals) > 20     # whiskers included
            grouped_bars(ax, procs, impls, lambda g, i: table.get((g, i)), log,
                         lambda v: compare.fmt_value(v, "ns"), rotate=len(impls) * len(procs) > 8,
                         group_label=lambda g: "GOMAXPROCS %s\n(%s spinning)" % (g, g))
            if log:
                log_time_axis(ax, "lateness of a receive (log scale)")
                ax.set_ylim(min(vals) / 2.5, max(tops) * 4)
            else:
                if tops:
                    ax.set_ylim(0, max(tops) * 1.25)   # room for the whiskers' labels
                ax.yaxis.set_major_formatter(FuncFormatter(tick_ns))
                ax.set_ylabel("lateness of a receive (lower is better)")
                ax.grid(axis="y", alpha=0.3)
                ax.set_axisbelow(True)
            ax.set_title("a 1 ms ticker's receiver among P goroutines that call nothing:\n"
                         "lateness p50 (light) and p99 (dark), bars = median of the runs", fontsize=10)
            handles = [Patch(facecolor=colour(i), edgecolor="black", linewidth=0.5,
                             label="%s %s" % (fam_name.get(i.rsplit("_", 1)[0], i), i.rsplit("_", 1)[1]))
                       for i in impls]
            ax.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.9)
        else:
            bases = sorted(set(r["impl"].split("_", 1)[1] for r in entries), key=lambda b: (b != "loop", b))
            fams = sorted(set(compare.family_of(r["impl"]) for r in entries), key=lambda f: impl_rank(f))
            table, impls = {}, []
            for fam in fams:
                impls += ["%s_on" % fam, "%s_off" % fam]
            for r in entries:
                fam, base = compare.family_of(r["impl"]), r["impl"].split("_", 1)[1]
                table[(base, "%s_%s" % (fam, "on" if arg(r, "async") == 1 else "off"))] = r
            drawn = grouped_bars(ax, bases, impls, lambda g, i: dict(table[(g, i)], impl=i)
                                 if (g, i) in table else None, False, lambda v: compare.fmt_value(v, "ns"),
                                 group_label=lambda g: {"loop": "loop: 2 goroutines per P\n(a preemption "
                                                                "switches goroutines)",
                                                        "loop_alone": "loop_alone: 1 goroutine per P\n"
                                                                      "(nothing else to run)"}.get(g, g))
            width = 0.8 / max(len(impls), 1)
            tops = {base: max([bar_top(r) or 0 for (b, _), r in table.items() if b == base] or [1])
                    for base in bases}
            top = max(list(tops.values()) + [1])
            for gi, base in enumerate(bases):     # on / off above each pair, clear of the whiskers
                present = [i for i in impls if (base, i) in table]
                for fam in fams:
                    on, off = table.get((base, fam + "_on")), table.get((base, fam + "_off"))
                    if not on or not off or not to_ns(on) or not to_ns(off):
                        continue
                    k = present.index(fam + "_on")
                    x = gi + (k + 0.5 - (len(present) - 1) / 2) * width
                    ratio = to_ns(on) / to_ns(off)
                    ax.annotate("on/off\n%.4f\n(%+.2f%%)" % (ratio, (ratio - 1) * 100), (x, tops[base] * 1.1),
                                ha="center", va="bottom", fontsize=7.5, color=colour(fam))
            ax.set_ylim(0, top * 1.75)
            ax.yaxis.set_major_formatter(FuncFormatter(tick_ns))
            ax.set_ylabel("time per unit of work (lower is better)")
            ax.grid(axis="y", alpha=0.3)
            ax.set_axisbelow(True)
            ax.set_title("a CPU-bound loop at GOMAXPROCS = CPUs:\npreemption signal on, and off (light)",
                         fontsize=10)
            handles = [Patch(facecolor=colour(i), edgecolor="black", linewidth=0.5,
                             label="%s, async %s" % (fam_name.get(i.rsplit("_", 1)[0], i), i.rsplit("_", 1)[1]))
                       for i in impls]
            ax.legend(handles=handles, loc="upper center", ncol=2, fontsize=8, framealpha=0.9)
    p.save(fig, "preempt.png")


def main(argv=None):
    ap = argparse.ArgumentParser(description="The benchmark suite's figures from a results file (gort-bench/1).")
    ap.add_argument("results", help="the results file written by scripts/bench.py")
    ap.add_argument("--outdir", default="results", help="where to write the PNGs (default: results/)")
    ap.add_argument("--thresholds", default=compare.default_thresholds(),
                    help="where memory.png's target line comes from (default: bench/thresholds.json)")
    a = ap.parse_args(argv)
    try:
        doc = compare.load_results(a.results)
    except compare.Malformed as e:
        print("plot.py: error: %s" % e, file=sys.stderr)
        return 2
    os.makedirs(a.outdir, exist_ok=True)
    plt.rcParams.update({"font.size": 9, "axes.titlesize": 10, "axes.spines.top": False,
                         "axes.spines.right": False})
    p = Plotter(doc, a.outdir)
    target = memory_target(a.thresholds)
    known = {"spawn", "spawn_batch", "yield", "pingpong", "pool", "chan_throughput", "select", "timers",
             "cond", "cond_pingpong", "skynet", "memory", "http", "preempt"}
    for plot in (plot_spawn, plot_switch, plot_memory, plot_pool, plot_scaling, plot_chan, plot_cond,
                 plot_http, plot_preempt):
        if plot is plot_memory:
            plot(p, target)
        else:
            plot(p)
    other = sorted(g for g in p.groups if g not in known)
    if other:
        print("plot.py: no figure for group%s %s" % ("s" if len(other) > 1 else "", ", ".join(other)))
    for path in p.written:
        print("wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
