#!/usr/bin/env bash
# scripts/test-aarch64.sh [CTEST ARGS...] — cross-build gort for AArch64 and
# run conformance tests under qemu-user on an x86-64 Debian machine.
#
# Builds the whole project with cmake/aarch64-linux-gnu.cmake into
# build-aarch64/ and runs ctest there, every test binary through
# `qemu-aarch64 -L /usr/aarch64-linux-gnu`.  Without arguments it runs the
# conformance suite minus the tests listed below that emulation cannot run.
# Arguments replace that selection and go to
# ctest as they are, e.g. `scripts/test-aarch64.sh -L conformance -LE stress`
# or `-R chan_`.
#
# Environment:
#   BUILD_DIR     build directory (default: build-aarch64)
#   BUILD_TYPE    CMake build type (default: Release)
#   CMAKE_ARGS    extra arguments for cmake's configure step (split at blanks)
#   TIMEOUT_FACTOR  multiplier for each test's timeout (default 10: emulation is slow)
#   CTEST_JOBS    parallel tests (default 2)
#
# Missing Debian packages (cmake, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross,
# qemu-user) are installed when run as root; otherwise the apt-get command is
# printed.
#
# How the tests reach qemu: every test runs through conformance/run_test.sh,
# which puts GORT_TEST_LAUNCHER (here `qemu-aarch64 -L SYSROOT`) in front of
# the test binary.  No binfmt_misc registration is needed (containers rarely
# allow it).  A test that exec()s an AArch64 program itself (e.g.
# /proc/self/exe) still needs binfmt_misc and fails here.
set -euo pipefail

GORT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-build-aarch64}
BUILD_TYPE=${BUILD_TYPE:-Release}
TIMEOUT_FACTOR=${TIMEOUT_FACTOR:-10}
CTEST_JOBS=${CTEST_JOBS:-2}
SYSROOT=/usr/aarch64-linux-gnu
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$GORT_ROOT/$BUILD_DIR ;; esac
jobs=$(nproc 2>/dev/null || echo 2)

echo "== checking packages"
missing=""
command -v cmake >/dev/null 2>&1 || missing="$missing cmake"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || missing="$missing gcc-aarch64-linux-gnu"
[ -e "$SYSROOT/include/stdio.h" ] || missing="$missing libc6-dev-arm64-cross"
command -v qemu-aarch64 >/dev/null 2>&1 || missing="$missing qemu-user"
missing=${missing# }
if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "== installing: $missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        # shellcheck disable=SC2086  # one word per package
        apt-get install -y -q --no-install-recommends $missing
    else
        echo "error: missing packages: $missing" >&2
        echo "install them with:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
        exit 1
    fi
fi
QEMU=$(command -v qemu-aarch64)

echo "== configuring $BUILD_DIR ($BUILD_TYPE, aarch64-linux-gnu-gcc, tests under $QEMU)"
# shellcheck disable=SC2086  # CMAKE_ARGS is split at blanks on purpose
cmake -S "$GORT_ROOT" -B "$BUILD_DIR" \
    -DCMAKE_TOOLCHAIN_FILE="$GORT_ROOT/cmake/aarch64-linux-gnu.cmake" \
    -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
    -DGORT_TEST_TIMEOUT_FACTOR="$TIMEOUT_FACTOR" ${CMAKE_ARGS:-}

echo "== building"
cmake --build "$BUILD_DIR" -j"$jobs"

# Prove the binaries are AArch64 and that qemu runs them before testing.
probe=$(find "$BUILD_DIR/conformance" -maxdepth 1 -type f -name 'spawn_*' -perm -u+x | head -n 1)
if [ -n "$probe" ]; then
    machine=$(od -An -tx1 -j18 -N2 "$probe" | tr -d ' \n')
    if [ "$machine" != "b700" ]; then
        echo "error: $probe is not an AArch64 ELF (e_machine bytes $machine)" >&2
        exit 1
    fi
fi

export QEMU_LD_PREFIX=$SYSROOT
# conformance/run_test.sh puts this in front of every test binary
export GORT_TEST_LAUNCHER="$QEMU -L $SYSROOT"

# Left out under emulation: stress (too slow); num_cpu_follows_affinity
# (re-executes itself: needs binfmt_misc); out_of_memory_fatal (RLIMIT_AS
# caps qemu's own address space too); stacks_reused (qemu fakes
# MADV_GUARD_INSTALL, so guards are mprotect pages, two mappings a stack,
# and the test's mapping budget assumes kernel guards);
# main_return_with_1000_running_none_print_after (with GOMAXPROCS=2 it allows
# one line from the other thread between main's last line and its exit;
# emulation stretches that moment to dozens of lines, as it would in Go);
# objects_freed_chan_timer_ctx (its RSS bound of 512 KiB is qemu's RSS here,
# which grows with its translated-code cache; ASan and Valgrind check the
# same frees on x86-64); sleep_costs_no_thread (its bound of GOMAXPROCS + 4
# threads: qemu-user stops every thread while one changes page protections,
# e.g. each new stack's guard, so a spawning thread looks blocked in the
# kernel to sysmon, which lends Ps and starts threads for them).
if [ $# -eq 0 ]; then
    set -- -L conformance -LE stress \
        -E '^(sched_num_cpu_follows_affinity|spawn_out_of_memory_fatal|stack_stacks_reused|exit_main_return_with_1000_running_none_print_after|leaks_objects_freed_chan_timer_ctx|time_sleep_costs_no_thread)$'
fi
echo "== testing under qemu-aarch64: ctest $*"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$CTEST_JOBS" "$@"
echo "== aarch64 tests passed ($BUILD_DIR)"
