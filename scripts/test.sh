#!/usr/bin/env bash
# scripts/test.sh [CTEST ARGS...] — configure, build, and run the test suite.
#
# Environment:
#   BUILD_DIR   build directory (default: build)
#   BUILD_TYPE  CMake build type (default: Release)
#   GORT_CC     C compiler: gcc (default) or clang
#   CMAKE_ARGS  extra arguments for cmake's configure step (split at blanks),
#               e.g. CMAKE_ARGS="-DGORT_SANITIZE=thread"
#   CI          when set, warnings are errors (GORT_WERROR)
# Extra arguments go to ctest, e.g. `scripts/test.sh -L sync` or `-R chan_`.
# Missing Debian packages are installed when run as root.
set -euo pipefail

GORT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/deps.sh
. "$GORT_ROOT/scripts/lib/deps.sh"

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

echo "== testing"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@"
echo "== all tests passed ($BUILD_DIR)"
