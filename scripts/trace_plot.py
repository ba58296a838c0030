#!/usr/bin/python3
"""trace_plot.py: a gort execution trace (gort-trace-1) as a timeline picture.

    scripts/trace_plot.py TRACE.json -o OUT.png [--from-us A] [--to-us B] [--width PX] [--layout]
    scripts/trace_plot.py TRACE.json --layout [--from-us A] [--to-us B]     (needs no matplotlib)

One row per P (P0 at the top); each run of a goroutine on a P (a B..E pair on pid 1) is a
rectangle in the goroutine's colour, labelled "G<id>" where it is wide enough (a run
narrower than a pixel is drawn 1 px wide, so that short runs stay visible).  The x axis is
the time since the trace started, in ms; the title names the file, the window's span and the
number of goroutines drawn.  Events are stably sorted by ts first, as trace_check.py does.
A B still open at the end runs to the trace's end; an E first on a P's track (a run begun
before the trace) starts at the trace's start.  The trace's start and end are the smallest and
largest ts of all its events (metadata aside).  --from-us/--to-us pick a window (default: the
whole trace); runs are clipped to it.  The plot does not check the trace (trace_check.py does):
a B while a run is open closes that run there, an E with no open run after the first is skipped.

--layout prints the rectangles, clipped to the window, one per line, sorted by P then start
(then end):  P<p> G<g> <start_us> <end_us> <colour>   (times with 3 decimals, colour "#rrggbb").
With -o too it draws as well.

Colours (fixed, independent of the trace): G1 (main) is always #e8590c (gort's orange in the
benchmark plots); goroutine g >= 2 is PALETTE[(g - 2) % 12] below (matplotlib's tab10/tab20
without its oranges, reds and greys), so consecutive ids get well separated colours; an id
< 1 is grey #7f7f7f.  Background white.

Geometry, in pixels (tests rely on it): the figure is WIDTH x (40 + 44 + 32 * rows) at 100
dpi (--width, default 1200); the plot area starts 64 px from the left, ends 16 px from the
right, 40 px from the top and 44 px from the bottom; row i (P order) is the band
[40 + 32 i, 40 + 32 (i + 1)) from the top, its rectangles 80% of that band, centred.  The x
axis spans exactly the window.  Needs matplotlib (Debian: apt-get install -y python3-matplotlib).
"""
import argparse
import os
import sys

sys.dont_write_bytecode = True     # no __pycache__ in scripts/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trace_check  # noqa: E402  (loading, the same notion of a valid trace file)

MAIN_COLOUR = "#e8590c"
OTHER_COLOUR = "#7f7f7f"
PALETTE = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
           "#17becf", "#aec7e8", "#98df8a", "#c5b0d5", "#c49c94", "#f7b6d2"]
DPI = 100
LEFT, RIGHT, TOP, BOTTOM, ROW = 64, 16, 40, 44, 32
BAR = 0.8
MAX_LABELS = 3000


def colour(g):
    """The colour of goroutine g: fixed, see the header."""
    if g == 1:
        return MAIN_COLOUR
    if g >= 2:
        return PALETTE[(g - 2) % len(PALETTE)]
    return OTHER_COLOUR


def runs(doc):
    """(rects [(p, g, start_us, end_us)], sorted P ids, trace start, trace end)."""
    is_int, is_num = trace_check.is_int, trace_check.is_num
    evs = []
    ps = set()
    t0 = t1 = None
    for e in doc["traceEvents"]:
        if not isinstance(e, dict):
            continue
        ph, pid, tid = e.get("ph"), e.get("pid"), e.get("tid")
        if pid == 1 and is_int(tid) and tid >= 0:
            ps.add(tid)
        if ph == "M":
            continue
        ts = e.get("ts")
        if not is_num(ts):
            continue
        t0 = ts if t0 is None or ts < t0 else t0
        t1 = ts if t1 is None or ts > t1 else t1
        args = e.get("args")
        if not isinstance(args, dict):
            continue
        if ph in ("B", "E") and pid == 1 and is_int(tid) and is_int(args.get("g")):
            evs.append(e)
        elif ph == "i" and e.get("name") in ("ProcStart", "ProcStop") and is_int(args.get("p")):
            ps.add(args["p"])
    evs.sort(key=lambda e: e["ts"])    # stable
    rects = []
    tracks = {}     # P -> [open goroutine, since] or None once a B/E was seen and nothing is open
    for e in evs:
        p, g, ts = e["tid"], e["args"]["g"], e["ts"]
        tr = tracks.get(p, ())
        if e["ph"] == "B":
            if tr:
                rects.append((p, tr[0], tr[1], ts))
            tracks[p] = [g, ts]
        else:
            if tr:
                rects.append((p, tr[0], tr[1], ts))
            elif tr == ():      # first B/E on this P: the run began before the trace
                rects.append((p, g, t0, ts))
            tracks[p] = None
    for p, tr in tracks.items():
        if tr:
            rects.append((p, tr[0], tr[1], t1))
    rects.sort(key=lambda r: (r[0], r[2], r[3]))
    return rects, sorted(ps), (t0 or 0.0), (t1 or 0.0)


def clip(rects, a, b):
    out = []
    for p, g, s, e in rects:
        if e < a or s > b or (e == a and s < a) or (s == b and e > b):
            continue
        out.append((p, g, max(s, a), min(e, b)))
    return out


def draw(path, out, rects, ps, a, b, width):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import colors as mcolors
    except ImportError:
        print("trace_plot: matplotlib is missing: apt-get install -y python3-matplotlib "
              "(or use --layout alone, which needs no matplotlib)", file=sys.stderr)
        return 2
    rows = ps or [0]
    row_of = {p: i for i, p in enumerate(rows)}
    height = TOP + BOTTOM + ROW * len(rows)
    fig = plt.figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    ax = fig.add_axes([LEFT / width, BOTTOM / height, (width - LEFT - RIGHT) / width,
                       (height - TOP - BOTTOM) / height])
    ax.set_facecolor("white")
    by_row = {}
    for p, g, s, e in rects:
        by_row.setdefault(p, []).append((g, s, e))
    px_per_us = (width - LEFT - RIGHT) / (b - a)
    min_us = 1.0 / px_per_us      # a run narrower than a pixel is drawn 1 px wide
    labels = 0
    for p, lst in by_row.items():
        i = row_of[p]
        ax.broken_barh([(s / 1000.0, max(e - s, min_us) / 1000.0) for g, s, e in lst], (i - BAR / 2, BAR),
                       facecolors=[colour(g) for g, s, e in lst], edgecolor="none", linewidth=0,
                       antialiased=False)
        for g, s, e in lst:
            text = "G%d" % g
            if (e - s) * px_per_us >= 6.5 * len(text) + 6 and labels < MAX_LABELS:
                labels += 1
                r, gr, bl = mcolors.to_rgb(colour(g))
                ink = "black" if 0.299 * r + 0.587 * gr + 0.114 * bl > 0.55 else "white"
                ax.text((s + e) / 2000.0, i, text, ha="center", va="center", fontsize=7, color=ink,
                        clip_on=True)
    ax.set_xlim(a / 1000.0, b / 1000.0)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(["P%d" % p for p in rows])
    ax.tick_params(axis="both", labelsize=8)
    ax.set_xlabel("time since the trace started (ms)", fontsize=8, labelpad=2)
    ngs = len({r[1] for r in rects})
    ax.set_title("%s: %.3f ms (%.3f to %.3f ms), %d goroutine%s"
                 % (os.path.basename(path), (b - a) / 1000.0, a / 1000.0, b / 1000.0, ngs,
                    "" if ngs == 1 else "s"), fontsize=9)
    fig.savefig(out, dpi=DPI, facecolor="white")
    plt.close(fig)
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="Draws a gort trace's timeline: one row per P.")
    ap.add_argument("trace")
    ap.add_argument("-o", "--output", help="the PNG to write")
    ap.add_argument("--from-us", type=float, help="window start, us since the trace started")
    ap.add_argument("--to-us", type=float, help="window end, us since the trace started")
    ap.add_argument("--width", type=int, default=1200, help="figure width in pixels (default 1200)")
    ap.add_argument("--layout", action="store_true", help="print the rectangles (P G start end colour)")
    a = ap.parse_args(argv)
    if not a.output and not a.layout:
        ap.error("nothing to do: give -o OUT.png and/or --layout")
    if a.width < LEFT + RIGHT + 100:
        ap.error("--width must be at least %d" % (LEFT + RIGHT + 100))
    try:
        doc = trace_check.load(a.trace)
    except trace_check.NotATrace as e:
        print("trace_plot: %s: %s" % (a.trace, e), file=sys.stderr)
        return 2
    rects, ps, t0, t1 = runs(doc)
    lo = t0 if a.from_us is None else a.from_us
    hi = t1 if a.to_us is None else a.to_us
    if hi < lo:
        ap.error("the window is empty: --from-us %s is after --to-us %s" % (lo, hi))
    if hi == lo:
        hi = lo + 1.0
    rects = clip(rects, lo, hi)
    if a.layout:
        sys.stdout.write("".join("P%d G%d %.3f %.3f %s\n" % (p, g, s, e, colour(g)) for p, g, s, e in rects))
    if a.output:
        return draw(a.trace, a.output, rects, ps, lo, hi, a.width)
    return 0


if __name__ == "__main__":
    sys.exit(main())
