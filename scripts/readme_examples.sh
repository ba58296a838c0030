#!/bin/sh
# readme_examples.sh SOURCE_DIR BUILD_DIR — the `readme_examples` ctest test.
#
# Every ```c block of README.md that follows the line
# `<!-- compiled and run by ctest (readme_examples) -->` is compiled as
# written (-Wall -Wextra -Werror, against the build tree's static library)
# and run; it must exit 0.  So the README's examples cannot rot.
# Environment: CC (C compiler), SMOKE_FLAGS (extra flags, e.g. a sanitizer),
# GORT_LIBS (what a static link of libgort needs besides -pthread, as in
# gort.pc's Libs.private: -lm -ldw ...).
set -eu
src=${1:?usage: readme_examples.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: readme_examples.sh SOURCE_DIR BUILD_DIR}
CC=${CC:-cc}
SMOKE_FLAGS=${SMOKE_FLAGS:-}
GORT_LIBS=${GORT_LIBS:-}
lib=$(find "$build" -name libgort.a | head -n 1)
[ -n "$lib" ] || { echo "readme_examples: no libgort.a under $build" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gort-readme.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Split the marked blocks into ex1.c, ex2.c, ...
awk -v dir="$tmp" '
    /<!-- compiled and run by ctest \(readme_examples\) -->/ { marked = 1; next }
    marked && /^```c$/ { n++; out = dir "/ex" n ".c"; inblock = 1; marked = 0; next }
    inblock && /^```$/ { inblock = 0; next }
    inblock { print > out }
' "$src/README.md"

count=0
for f in "$tmp"/ex*.c; do
    [ -e "$f" ] || break
    count=$((count + 1))
    exe=${f%.c}
    # shellcheck disable=SC2086  # SMOKE_FLAGS and GORT_LIBS are split on purpose
    if ! "$CC" -std=c11 -Wall -Wextra -Wno-unused-parameter -Werror $SMOKE_FLAGS \
            -I"$src/runtime/include" "$f" "$lib" -pthread $GORT_LIBS -o "$exe" 2>"$tmp/cc.log"; then
        echo "readme_examples: README example $count does not compile:" >&2
        cat "$tmp/cc.log" >&2
        exit 1
    fi
    if ! "$exe" >"$tmp/out.log" 2>&1; then
        echo "readme_examples: README example $count failed:" >&2
        cat "$tmp/out.log" >&2
        exit 1
    fi
    echo "== README example $count:"
    cat "$tmp/out.log"
done
[ "$count" -gt 0 ] || { echo "readme_examples: no marked examples in README.md" >&2; exit 1; }
echo "readme_examples: $count examples compiled and ran"
