#!/usr/bin/env bash
# scripts/ab.sh OLD_BUILD NEW_BUILD [ROUNDS] — A/B of two builds' benchmarks on
# one machine, in one session: ROUNDS (default 5) rounds, each running OLD's
# then NEW's bench programs one after the other, so that both see the same
# machine; prints each benchmark's median over the rounds with its min–max
# and NEW/OLD.  A change's speed is claimed from such a run (or callgrind's
# instruction counts), never from one run of each.
#
# The benchmarks: yield, unbuffered ping-pong, spawn, pool, channel throughput
# and select, each with --benchmark_min_time=0.3 (AB_MIN_TIME).  Set AB_SWITCH,
# AB_CHAN, AB_POOL, AB_SPAWN to other Google Benchmark filters, or to "-" to
# leave that program out.  Both builds need their bench programs built
# (cmake --build DIR --target bench_switch bench_chan bench_pool bench_spawn).
set -euo pipefail
if [ $# -lt 2 ]; then
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
old=$1 new=$2 rounds=${3:-5}
min_time=${AB_MIN_TIME:-0.3}
declare -A filters=(
    [bench_switch]=${AB_SWITCH:-'^(yield/gort|pingpong/gort_unbuffered/procs:1|pingpong/gort_unbuffered/procs:2)'}
    [bench_chan]=${AB_CHAN:-'^(chan_throughput/gort/pairs:1|chan_throughput/gort/pairs:4|select/gort)'}
    [bench_pool]=${AB_POOL:-'^pool/gort'}
    [bench_spawn]=${AB_SPAWN:-'^spawn/gort'}
)
for dir in "$old" "$new"; do
    for prog in "${!filters[@]}"; do
        if [ "${filters[$prog]}" != - ] && [ ! -x "$dir/bench/$prog" ]; then
            echo "ab.sh: $dir/bench/$prog not built" >&2
            exit 2
        fi
    done
done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "ab.sh: $rounds rounds, old $old, new $new (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
for r in $(seq "$rounds"); do
    for side in old new; do
        dir=$old
        [ "$side" = new ] && dir=$new
        for prog in bench_switch bench_chan bench_pool bench_spawn; do
            [ "${filters[$prog]}" = - ] && continue
            "$dir/bench/$prog" --benchmark_filter="${filters[$prog]}" --benchmark_min_time="$min_time" 2>/dev/null |
                awk -v s="$side" '$3 == "ns" {print s, $1, $2}' >>"$out"
        done
    done
    echo "ab.sh: round $r of $rounds done" >&2
done
/usr/bin/python3 - "$out" <<'PY'
import collections, statistics, sys
d = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    side, name, v = line.split()[:3]
    d[name.replace("/process_time/real_time", "")][side].append(float(v))
print("%-44s %24s %24s %9s" % ("benchmark (ns)", "old median [min-max]", "new median [min-max]", "new/old"))
for name in sorted(d):
    o, n = d[name]["old"], d[name]["new"]
    if o and n:
        mo, mn = statistics.median(o), statistics.median(n)
        print("%-44s %8.1f [%6.1f-%6.1f] %8.1f [%6.1f-%6.1f] %9.3f"
              % (name, mo, min(o), max(o), mn, min(n), max(n), mn / mo))
PY
