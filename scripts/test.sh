#!/usr/bin/env bash
# scripts/test.sh [--quick] [CTEST ARGS...] — configure, build, and run the
# test suite: by default in four passes, each the whole conformance suite
# (plus examples and build checks):
#   release    Release build (gcc), build/
#   asan       AddressSanitizer + UBSan (Debug), build-asan/
#   tsan       ThreadSanitizer (Debug), build-tsan/: racy programs must be
#              reported, correct ones clean
#   memcheck   every test binary under Valgrind memcheck (Debug,
#              -DGORT_VALGRIND=ON, `ctest -T memcheck`), build-valgrind/
# --quick runs the release pass only (for local use; CI runs them all).
#
# Environment:
#   GORT_PASSES which passes, e.g. GORT_PASSES="release tsan"
#   CI          when set, warnings are errors (GORT_WERROR)
# Setting any of these runs one pass, configured by them, instead:
#   BUILD_DIR   build directory (default: build)
#   BUILD_TYPE  CMake build type (default: Release)
#   GORT_CC     C compiler: gcc (default) or clang
#   CMAKE_ARGS  extra arguments for cmake's configure step (split at blanks),
#               e.g. CMAKE_ARGS="-DGORT_SANITIZE=thread"
#   GORT_MEMCHECK=1
#               the Valgrind memcheck pass: a -DGORT_VALGRIND=ON build (default
#               BUILD_DIR build-valgrind, BUILD_TYPE Debug) tested with
#               `ctest -T memcheck`, every test binary under Valgrind
#               (cmake/GortValgrind.cmake); without arguments, the conformance
#               suite and the examples.  A Valgrind error, a definitely-lost
#               block or an unregistered stack fails the test.
# Extra arguments go to ctest, e.g. `scripts/test.sh -L sync` or `-R chan_`.
# Missing Debian packages are installed when run as root.
set -euo pipefail

GORT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/deps.sh
. "$GORT_ROOT/scripts/lib/deps.sh"

quick=
if [ "${1:-}" = --quick ]; then
    quick=1
    shift
fi

# The passes, unless the environment asks for one configuration.
if [ -z "${BUILD_DIR+x}${BUILD_TYPE+x}${GORT_CC+x}${CMAKE_ARGS+x}${GORT_MEMCHECK+x}" ]; then
    passes=${GORT_PASSES:-release asan tsan memcheck}
    [ -n "$quick" ] && passes=release
    self=$GORT_ROOT/scripts/test.sh
    summary=""
    for pass in $passes; do
        start=$SECONDS
        echo "==== pass: $pass"
        case $pass in
            release)  BUILD_DIR=build "$self" "$@" ;;
            asan)     BUILD_DIR=build-asan BUILD_TYPE=Debug \
                      CMAKE_ARGS="-DGORT_SANITIZE=address" "$self" "$@" ;;
            tsan)     BUILD_DIR=build-tsan BUILD_TYPE=Debug \
                      CMAKE_ARGS="-DGORT_SANITIZE=thread" "$self" "$@" ;;
            memcheck) GORT_MEMCHECK=1 "$self" "$@" ;;
            *) echo "error: unknown pass '$pass' (release, asan, tsan, memcheck)" >&2; exit 2 ;;
        esac
        summary="$summary  $pass: passed in $((SECONDS - start)) s
"
    done
    echo "==== all passes passed"
    printf '%s' "$summary"
    exit 0
fi

memcheck=
case ${GORT_MEMCHECK:-} in ""|0|false|no) ;; *) memcheck=1 ;; esac
if [ -n "$memcheck" ]; then
    BUILD_DIR=${BUILD_DIR:-build-valgrind}
    BUILD_TYPE=${BUILD_TYPE:-Debug}
    CMAKE_ARGS="${CMAKE_ARGS:-} -DGORT_VALGRIND=ON"
    export CMAKE_ARGS
fi
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Release}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$GORT_ROOT/$BUILD_DIR ;; esac
jobs=$(nproc 2>/dev/null || echo 2)

echo "== checking packages"
gort_ensure_deps

echo "== configuring $BUILD_DIR ($BUILD_TYPE, ${GORT_CC:-gcc})"
gort_configure "$BUILD_DIR" "$BUILD_TYPE"

echo "== building"
cmake --build "$BUILD_DIR" -j"$jobs"

if [ -n "$memcheck" ]; then
    [ $# -eq 0 ] && set -- -L 'conformance|examples'
    echo "== testing under Valgrind: ctest -T memcheck $*"
    ctest --test-dir "$BUILD_DIR" -T memcheck --output-on-failure -j2 "$@"
    echo "== all tests passed under Valgrind ($BUILD_DIR)"
    exit 0
fi

echo "== testing"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@"
echo "== all tests passed ($BUILD_DIR)"
