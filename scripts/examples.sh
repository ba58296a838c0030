#!/usr/bin/env bash
# scripts/examples.sh — builds Release and runs every example in examples/
# (each is also a ctest test; this shows their output).
#
# Environment: BUILD_DIR (default build), GORT_CC (gcc or clang), CMAKE_ARGS.
set -euo pipefail

GORT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/deps.sh
. "$GORT_ROOT/scripts/lib/deps.sh"

BUILD_DIR=${BUILD_DIR:-build}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$GORT_ROOT/$BUILD_DIR ;; esac
jobs=$(nproc 2>/dev/null || echo 2)

echo "== checking packages"
gort_ensure_deps

echo "== configuring $BUILD_DIR (Release, ${GORT_CC:-gcc})"
gort_configure "$BUILD_DIR" Release

echo "== building"
cmake --build "$BUILD_DIR" -j"$jobs"

shopt -s nullglob
examples=("$GORT_ROOT"/examples/*.c)
if [ ${#examples[@]} -eq 0 ]; then
    echo "== no examples yet (examples/*.c); nothing to run"
    exit 0
fi

failed=()
for src in "${examples[@]}"; do
    name=$(basename "$src" .c)
    bin=$BUILD_DIR/examples/$name
    echo
    echo "================ example: $name ================"
    if [ ! -x "$bin" ]; then
        echo "missing binary $bin"
        failed+=("$name")
        continue
    fi
    # Arguments from the example's `// gort-test: args=...` lines, if any.
    mapfile -t argv < <(sed -n 's|^[[:space:]]*//[[:space:]]*gort-test:[[:space:]]*args=||p' "$src" | tr -s '[:blank:]' '\n' | sed '/^$/d')
    rc=0
    "$bin" "${argv[@]}" || rc=$?
    echo "---------------- $name: exit status $rc"
    [ $rc -eq 0 ] || failed+=("$name")
done

echo
if [ ${#failed[@]} -ne 0 ]; then
    echo "== failed examples: ${failed[*]}"
    exit 1
fi
echo "== all ${#examples[@]} examples ran"
