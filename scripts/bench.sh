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
#                   chan_throughput, select, timers, skynet, preempt, cond,
#                   cond_pingpong, memory,
#                   http); their results replace the same groups in
#                   results/latest.json
#   --no-go         leave out the Go peer
#   --no-plot       write no PNGs
# Other arguments go to scripts/bench.py (--repetitions N, --min-time S,
# --memory-ns 1000,10000, --out FILE).  GORT_BENCH_BUILD names the build
# directory (default build-bench; CI reuses the test pass's build/).
#
# Packages: the build's (scripts/lib/deps.sh) are required; Go, Boost.Fiber
# (libboost-fiber-dev), wrk (the http group's load generator) and matplotlib
# (python3-matplotlib) are the peers', the http group's and the plots':
# installed when run as root, otherwise the command is printed and the
# suite carries on without them.  The Go peer is built with the newest Go
# found (/usr/lib/go-*/bin/go or go on PATH); as root, Debian 12's
# bookworm-backports suite is added to apt's sources for golang-1.23-go
# (Debian's own golang-go is 1.19), falling back to golang-go with a note.
# The version is recorded in the results and shown on every plot.
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

# newest_go: the path of the newest go command on this machine, or nothing.
newest_go() {
    local best="" bestv="" g v
    for g in /usr/lib/go-*/bin/go "$(command -v go 2>/dev/null || true)"; do
        [ -x "$g" ] || continue
        v=$("$g" env GOVERSION 2>/dev/null | sed 's/^go//') || continue
        [ -n "$v" ] || continue
        if [ -z "$bestv" ] || [ "$(printf '%s\n%s\n' "$bestv" "$v" | sort -V | tail -1)" = "$v" ]; then
            best=$g bestv=$v
        fi
    done
    echo "$best"
}

# go_at_least GO MAJOR.MINOR
go_at_least() {
    local v
    v=$("$1" env GOVERSION 2>/dev/null | sed 's/^go//')
    [ "$(printf '%s\n%s\n' "$2" "$v" | sort -V | head -1)" = "$2" ]
}

GO_PEER_MIN=1.23
if [ -z "$quick" ] && [ -z "$nogo" ]; then
    gobin=$(newest_go)
    if { [ -z "$gobin" ] || ! go_at_least "$gobin" "$GO_PEER_MIN"; } &&
       [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        bp=/etc/apt/sources.list.d/gort-bookworm-backports.list
        if grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release && [ ! -e "$bp" ] &&
           ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
            echo "== adding Debian's bookworm-backports suite to apt's sources ($bp) for golang-1.23-go"
            echo "deb http://deb.debian.org/debian bookworm-backports main" >"$bp"
        fi
        echo "== installing golang-1.23-go (the Go peer)"
        if ! { apt-get update -q && apt-get install -y -q --no-install-recommends golang-1.23-go; }; then
            echo "note: golang-1.23-go could not be installed; trying Debian's golang-go (older)" >&2
            apt-get install -y -q --no-install-recommends golang-go ||
                echo "warning: no Go could be installed; carrying on without the Go peer" >&2
        fi
        gobin=$(newest_go)
    fi
    if [ -z "$gobin" ]; then
        echo "note: no Go found: the Go peer is left out" >&2
        echo "      install with: sudo apt-get install -y golang-1.23-go (bookworm-backports) or golang-go" >&2
    elif ! go_at_least "$gobin" "$GO_PEER_MIN"; then
        echo "note: the Go peer uses $("$gobin" env GOVERSION), older than go$GO_PEER_MIN" \
             "(golang-1.23-go from bookworm-backports is newer)" >&2
    fi
    [ -n "$gobin" ] && export GORT_GO=$gobin
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
    if [ -n "${GORT_GO:-}" ]; then
        go() { "$GORT_GO" "$@"; }
        echo "== building the Go peer ($(go version | cut -d' ' -f3), $GORT_GO)"
        ( cd bench/peers/go &&
          export GOCACHE="$GORT_ROOT/$BUILD/go-cache" GOPATH="$GORT_ROOT/$BUILD/go-path" \
                 GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local &&
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
