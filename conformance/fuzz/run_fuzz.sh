#!/bin/sh
# run_fuzz.sh FUZZER SEED_CORPUS WORKDIR SECONDS [DICT] — one bounded
# libFuzzer run for ctest (conformance/fuzz/fuzz.cmake): copies the seed
# corpus into WORKDIR/corpus (so the source tree is never written to),
# fuzzes for SECONDS with a 5 s per-input timeout, and leaves any crashing
# input in WORKDIR as crash-*/timeout-*/oom-* (libFuzzer prints which).
set -eu
if [ $# -lt 4 ]; then
    echo "usage: run_fuzz.sh FUZZER SEED_CORPUS WORKDIR SECONDS [DICT]" >&2
    exit 2
fi
fuzzer=$1 seeds=$2 work=$3 secs=$4 dict=${5:-}
rm -rf "$work"
mkdir -p "$work/corpus"
cp "$seeds"/* "$work/corpus/"
set -- -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 -max_len=10000 \
    -print_final_stats=1 -artifact_prefix="$work/"
if [ -n "$dict" ] && [ -r "$dict" ]; then
    set -- "$@" -dict="$dict"
fi
echo "== $fuzzer $* $work/corpus"
exec "$fuzzer" "$@" "$work/corpus"
