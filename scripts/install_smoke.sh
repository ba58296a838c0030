#!/bin/sh
# install_smoke.sh BUILD_DIR [CONFIG] — the `install_smoke` ctest test.
#
# Installs BUILD_DIR into a temporary prefix, then builds and runs a tiny
# goroutine program against the installed copy twice:
#   1. cc prog.c $(pkg-config --cflags --libs gort)       (shared, LD_LIBRARY_PATH)
#   2. a CMake project using find_package(gort REQUIRED)   (gort::gort and gort::gort_static)
# and checks that the gdb extension is installed where gdb's auto-load looks
# for libgort.so's (and, with gdb there and no sanitizer, that gdb loads it).
# Environment: CMAKE (cmake binary), CC (C compiler), SMOKE_FLAGS (extra
# compile/link flags, e.g. the sanitizer the library was built with).
set -eu

build=${1:?usage: install_smoke.sh BUILD_DIR [CONFIG]}
config=${2:-}
CMAKE=${CMAKE:-cmake}
CC=${CC:-cc}
SMOKE_FLAGS=${SMOKE_FLAGS:-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gort-install-smoke.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

step() { echo "== install_smoke: $*"; }
fail() { echo "install_smoke: FAIL: $*" >&2; exit 1; }

step "cmake --install $build --prefix $prefix"
if [ -n "$config" ]; then
    "$CMAKE" --install "$build" --prefix "$prefix" --config "$config" >"$tmp/install.log" 2>&1 \
        || { cat "$tmp/install.log"; fail "cmake --install failed"; }
else
    "$CMAKE" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 \
        || { cat "$tmp/install.log"; fail "cmake --install failed"; }
fi

[ -f "$prefix/include/gort.h" ] || fail "gort.h not installed under $prefix/include"
pc=$(find "$prefix" -name gort.pc | head -n 1)
[ -n "$pc" ] || fail "gort.pc not installed"
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")
for f in libgort.a libgort.so libgort.so.0; do
    [ -e "$libdir/$f" ] || fail "$libdir/$f not installed"
done
# The gdb extension, where gdb's auto-load looks for libgort.so's:
# DATADIR/gdb/auto-load/<libgort.so's real path>-gdb.py (docs/GDB.md).
so_real=$(readlink -f "$libdir/libgort.so")
gdbpy=$(find "$prefix" -name 'libgort.so.*-gdb.py' | head -n 1)
[ -n "$gdbpy" ] || fail "the gdb extension (libgort.so.VERSION-gdb.py) not installed"
case $gdbpy in
    */gdb/auto-load"$so_real"-gdb.py) echo "   gdb extension: $gdbpy" ;;
    *) fail "gdb extension at $gdbpy; gdb looks for .../gdb/auto-load$so_real-gdb.py" ;;
esac

mkdir -p "$tmp/src"
cat >"$tmp/src/main.c" <<'EOF'
#include <gort.h>
#include <stdio.h>

static gort_waitgroup wg;
static int value;

static void child(void *arg) {
    *(int *)arg = 42;
    gort_wg_done(&wg);
}

static void body(void *arg) {
    (void)arg;
    gort_wg_add(&wg, 1);
    go(child, &value);
    gort_wg_wait(&wg);
}

int main(void) {
    gort_run(body, NULL);
    if (value != 42) {
        printf("FAIL: value=%d\n", value);
        return 1;
    }
    printf("OK\n");
    return 0;
}
EOF

check_ok() { # check_ok WHAT STDOUT_FILE (stderr in STDOUT_FILE.err)
    if [ "$(cat "$2")" != "OK" ]; then
        echo "---- stdout of $1 ----"; cat "$2"
        echo "---- stderr of $1 ----"; cat "$2.err"; echo "----"
        fail "$1 did not print OK"
    fi
    echo "   $1: OK"
}
run_prog() { # run_prog WHAT OUTPUT_FILE COMMAND...
    what=$1 out=$2
    shift 2
    if ! "$@" >"$out" 2>"$out.err"; then
        cat "$out" "$out.err"
        fail "$what exited non-zero"
    fi
}

# --- 1. pkg-config ---------------------------------------------------------
step "pkg-config build"
export PKG_CONFIG_PATH="$pcdir"
flags=$(pkg-config --cflags --libs gort) || fail "pkg-config --cflags --libs gort failed"
echo "   pkg-config --cflags --libs gort: $flags"
# shellcheck disable=SC2086  # word splitting of the flags is intended
"$CC" $SMOKE_FLAGS "$tmp/src/main.c" $flags -o "$tmp/prog_pc" \
    || fail "compiling with pkg-config flags failed"
run_prog "pkg-config program" "$tmp/out_pc" \
    env LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$tmp/prog_pc"
check_ok "pkg-config program" "$tmp/out_pc"
unset PKG_CONFIG_PATH

# gdb finds the installed extension by itself once told about the prefix's
# auto-load directory (as a user of a non-system prefix does, docs/GDB.md).
if command -v gdb >/dev/null 2>&1 && [ -z "$SMOKE_FLAGS" ]; then
    step "gdb auto-loads the extension"
    autoload=${gdbpy%"$so_real-gdb.py"}
    env LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" gdb -batch -nx \
        -iex "set auto-load scripts-directory $autoload" \
        -iex "add-auto-load-safe-path $autoload" \
        -ex start -ex "info auto-load python-scripts" -ex "info goroutines" -ex kill \
        "$tmp/prog_pc" >"$tmp/gdb.log" 2>&1 </dev/null || true
    if ! grep -q "^Yes .*libgort\.so\..*-gdb\.py" "$tmp/gdb.log" ||
       ! grep -q "gort runtime has not started" "$tmp/gdb.log"; then
        cat "$tmp/gdb.log"
        fail "gdb did not auto-load the installed extension from $autoload"
    fi
    echo "   gdb: extension auto-loaded from $autoload"
fi

# --- 2. find_package --------------------------------------------------------
step "find_package(gort) build"
cat >"$tmp/src/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(gort_smoke LANGUAGES C)
find_package(gort 0.2 REQUIRED)
add_executable(smoke_shared main.c)
target_link_libraries(smoke_shared PRIVATE gort::gort)
add_executable(smoke_static main.c)
target_link_libraries(smoke_static PRIVATE gort::gort_static)
EOF
"$CMAKE" -S "$tmp/src" -B "$tmp/build" \
    -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$CC" \
    -DCMAKE_C_FLAGS="$SMOKE_FLAGS" \
    -DCMAKE_EXE_LINKER_FLAGS="$SMOKE_FLAGS" >"$tmp/cmake.log" 2>&1 \
    || { cat "$tmp/cmake.log"; fail "configuring the find_package project failed"; }
"$CMAKE" --build "$tmp/build" >"$tmp/build.log" 2>&1 \
    || { cat "$tmp/build.log"; fail "building the find_package project failed"; }
# The shared one finds libgort.so through the build-tree RPATH cmake sets.
run_prog smoke_shared "$tmp/out_shared" "$tmp/build/smoke_shared"
check_ok "find_package gort::gort" "$tmp/out_shared"
run_prog smoke_static "$tmp/out_static" "$tmp/build/smoke_static"
check_ok "find_package gort::gort_static" "$tmp/out_static"
if ldd "$tmp/build/smoke_static" 2>/dev/null | grep -q libgort; then
    fail "smoke_static is linked against libgort.so"
fi

echo "install_smoke: PASS"
