#!/usr/bin/env bash
# scripts/bench.sh [--quick] [--group G1,G2] [--no-go] [--no-plot] [BENCH.PY ARGS...]
#
# The benchmark suite in one command (the README's): installs the Debian
# packages it needs, builds Release into build-bench/, builds the Go peer,
# runs every benchmark with a progress line each (scripts/bench.py), writes
# results/latest.json and the plots in results/, and prints the comparison
# table (scripts/compare.py).  About 10 minutes on a 2-CPU machine.
#
#   --quick         CI's gate: only the gort/pthread pairs named in
#                   bench/thresholds.json, short runs, results in
#                   build-bench/quick.json (results/ untouched); exits 1 when
#                   gort is slower than a threshold allows
#   --group LIST    only these groups (spawn, spawn_batch, yield, pingpong, pool,
#                   chan_throughput, select, timers, skynet, preempt, memory,
#                   http); their results replace the same groups in
#                   results/latest.json
#   --no-go         leave out the Go peer
#   --no-plot       write no PNGs
# Other arguments go to scripts/bench.py (--repetitions N, --min-time S,
# --memory-ns 1000,10000, --out FILE).  GORT_BENCH_BUILD names the build
# directory (default build-bench; CI reuses the test pass's build/).
#
# Packages: the build's (scripts/lib/deps.sh) are required; Go (golang-go),
# Boost.Fiber (libboost-fiber-dev), wrk (the http group's load generator) and
# matplotlib (python3-matplotlib) are the peers', the http group's and the
# plots': installed when run as root, otherwise the command is printed and
# the suite carries on without them.
set -euo pipefail

GORT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/deps.sh
. "$GORT_ROOT/scripts/lib/deps.sh"
cd "$GORT_ROOT"

quick= plot=1 nogo= out=results/latest.json pyargs=()
while [ $# -gt 0 ]; do
    case $1 in
        --quick)   quick=1 ;;
        --no-plot) plot= ;;
        --no-go)   nogo=1; pyargs+=(--no-go) ;;
        --group)   pyargs+=(--group "$2"); shift ;;
        --group=*) pyargs+=(--group "${1#--group=}") ;;
        --out)     out=$2; pyargs+=(--out "$2"); shift ;;
        --out=*)   out=${1#--out=}; pyargs+=(--out "$out") ;;
        -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *)         pyargs+=("$1") ;;
    esac
    shift
done

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "error: no python3" >&2; exit 1; }

gort_ensure_deps

# Optional packages: a missing one costs its part of the suite, not the run.
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if [ -z "$quick" ] && command -v dpkg-query >/dev/null 2>&1; then
    optional="libboost-fiber-dev libboost-context-dev wrk"
    [ -z "$nogo" ] && optional="$optional golang-go"
    [ -n "$plot" ] && optional="$optional python3-matplotlib"
    missing=""
    for pkg in $optional; do
        deb_installed "$pkg" || missing="$missing $pkg"
    done
    missing=${missing# }
    if [ -n "$missing" ]; then
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "== installing the peers' packages: $missing"
            export DEBIAN_FRONTEND=noninteractive
            # shellcheck disable=SC2086
            { apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } ||
                echo "warning: could not install $missing; carrying on without them" >&2
        else
            echo "note: the peers and plots need: $missing" >&2
            echo "      install with: sudo apt-get install -y $missing" >&2
            echo "      carrying on without them" >&2
        fi
    fi
fi

BUILD=${GORT_BENCH_BUILD:-build-bench}
echo "== building the suite (Release) in $BUILD/"
GORT_CC=${GORT_CC:-gcc} gort_configure "$BUILD" Release >/dev/null
if [ ! -f "$BUILD/bench/CMakeFiles/bench_suite.dir/build.make" ]; then
    echo "error: CMake did not set up the benchmark suite (Google Benchmark or g++ missing?)" >&2
    exit 1
fi
cmake --build "$BUILD" -j"$(nproc)" --target bench_suite >/dev/null

if [ -z "$quick" ] && [ -z "$nogo" ]; then
    if command -v go >/dev/null 2>&1; then
        echo "== building the Go peer ($(go version | cut -d' ' -f3))"
        ( cd bench/peers/go &&
          export GOCACHE="$GORT_ROOT/$BUILD/go-cache" GOPATH="$GORT_ROOT/$BUILD/go-path" \
                 GOFLAGS=-mod=mod GO111MODULE=on &&
          go build -o "$GORT_ROOT/$BUILD/bench/gopeer" . &&
          go build -o "$GORT_ROOT/$BUILD/bench/gohttp" ./httpserver ) ||
            { echo "warning: the Go peer did not build; carrying on without it" >&2
              rm -f "$BUILD/bench/gopeer" "$BUILD/bench/gohttp"; }
    else
        rm -f "$BUILD/bench/gopeer" "$BUILD/bench/gohttp"
    fi
fi

if [ -n "$quick" ]; then
    "$PY" scripts/bench.py --build "$BUILD" --quick "${pyargs[@]}"
    "$PY" scripts/compare.py "$BUILD/quick.json" --gate-only
    exit
fi

"$PY" scripts/bench.py --build "$BUILD" "${pyargs[@]}"
if [ -n "$plot" ]; then
    if "$PY" -c 'import matplotlib' 2>/dev/null; then
        "$PY" scripts/plot.py "$out" --outdir "$(dirname "$out")"
    else
        echo "note: no matplotlib for $PY (Debian package python3-matplotlib): no plots" >&2
    fi
fi
"$PY" scripts/compare.py "$out" --markdown > "$(dirname "$out")/comparison.md" || true
"$PY" scripts/compare.py "$out" || true   # the full run reports; the gate is --quick's
