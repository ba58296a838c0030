# shellcheck shell=bash
# deps.sh — sourced by scripts/test.sh and scripts/run.sh.
#
# gort_ensure_deps: makes sure the Debian packages the build needs are there.
# Missing ones are installed with apt-get when running as root; otherwise the
# exact command to run is printed and the function returns 1.

# libdw-dev: symbolized backtraces (FILE:LINE) in panics and dumps.
# valgrind: <valgrind/valgrind.h>, with which the runtime registers its stacks,
# and the memcheck pass (GORT_MEMCHECK=1 scripts/test.sh).
# g++, libbenchmark-dev: the benchmark suite (Google Benchmark, driven from C).
# libclang-rt-14-dev: libFuzzer for clang (-fsanitize=fuzzer), with which the
# clang builds fuzz the HTTP parser (conformance/fuzz/fuzz.cmake).
# python3: the benchmark gate's scripts (scripts/bench.py, compare.py; stdlib only).
# gdb: the gdb extension's test (runtime/gdb/libgort-gdb.py, test gdb_goroutines).
# python3-matplotlib: scripts/trace_plot.py and its test (trace_plot_png).
GORT_DEB_PACKAGES="cmake gcc g++ clang make pkg-config libc6-dev libdw-dev valgrind libbenchmark-dev libclang-rt-14-dev python3 gdb python3-matplotlib"
GORT_CMAKE_MIN=3.25

# gort_pkg_present PACKAGE: true when the package (or what it provides) is there.
gort_pkg_present() {
    local pkg=$1 cmd
    case $pkg in
        libc6-dev|libdw-dev|libbenchmark-dev|libclang-rt-14-dev|python3-matplotlib)
            if command -v dpkg-query >/dev/null 2>&1; then
                dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"
                return
            fi
            case $pkg in
                libc6-dev) [ -e /usr/include/stdio.h ] ;;
                python3-matplotlib) /usr/bin/python3 -c 'import matplotlib' 2>/dev/null ;;
                libdw-dev) [ -e /usr/include/elfutils/libdwfl.h ] ;;
                libbenchmark-dev) [ -e /usr/include/benchmark/benchmark.h ] ;;
                libclang-rt-14-dev)
                    ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ;;
            esac
            return ;;
        *) cmd=$pkg ;;
    esac
    # A command is enough (pkg-config may come from pkgconf, cmake from elsewhere).
    if command -v "$cmd" >/dev/null 2>&1; then
        return 0
    fi
    if command -v dpkg-query >/dev/null 2>&1; then
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            && command -v "$cmd" >/dev/null 2>&1
        return
    fi
    return 1
}

gort_ensure_deps() {
    local missing="" pkg
    for pkg in $GORT_DEB_PACKAGES; do
        gort_pkg_present "$pkg" || missing="$missing $pkg"
    done
    missing=${missing# }
    if [ -n "$missing" ]; then
        if [ "$(id -u)" -eq 0 ]; then
            if ! command -v apt-get >/dev/null 2>&1; then
                echo "error: missing packages ($missing) and no apt-get on this machine" >&2
                return 1
            fi
            echo "== installing missing packages: $missing"
            export DEBIAN_FRONTEND=noninteractive
            if ! apt-get update -q; then
                echo "error: apt-get update failed" >&2
                return 1
            fi
            # shellcheck disable=SC2086  # one word per package
            if ! apt-get install -y -q --no-install-recommends $missing; then
                echo "error: apt-get install failed" >&2
                return 1
            fi
        else
            echo "error: missing packages: $missing" >&2
            echo "install them with:" >&2
            echo "  sudo apt-get install -y $missing" >&2
            return 1
        fi
    fi
    local ver
    ver=$(cmake --version 2>/dev/null | sed -n '1s/^cmake version \([0-9][0-9.]*\).*/\1/p')
    if [ -z "$ver" ] || [ "$(printf '%s\n%s\n' "$GORT_CMAKE_MIN" "$ver" | sort -V | head -n 1)" != "$GORT_CMAKE_MIN" ]; then
        echo "error: cmake >= $GORT_CMAKE_MIN is needed (found: ${ver:-none})" >&2
        return 1
    fi
}

# gort_configure BUILD_DIR BUILD_TYPE: configures BUILD_DIR with the compiler
# named by $GORT_CC (default gcc) and extra arguments from $CMAKE_ARGS.
gort_configure() {
    local dir=$1 type=$2 cc=${GORT_CC:-gcc} ccpath cached
    ccpath=$(command -v "$cc") || { echo "error: compiler '$cc' not found" >&2; return 1; }
    # A build dir configured with another compiler cannot switch in place:
    # drop its cache (only the cache) and configure afresh.
    if [ -f "$dir/CMakeCache.txt" ]; then
        cached=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$dir/CMakeCache.txt")
        if [ -n "$cached" ] && [ "$(readlink -f "$cached")" != "$(readlink -f "$ccpath")" ]; then
            echo "== $dir was configured with $cached; reconfiguring with $ccpath"
            rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
        fi
    fi
    # shellcheck disable=SC2086  # CMAKE_ARGS is split at blanks on purpose
    CC=$ccpath cmake -S "$GORT_ROOT" -B "$dir" \
        -DCMAKE_BUILD_TYPE="$type" -DCMAKE_C_COMPILER="$ccpath" ${CMAKE_ARGS:-}
}
