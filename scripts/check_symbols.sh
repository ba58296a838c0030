#!/bin/sh
# check_symbols.sh LIBGORT_A — the `symbols_namespaced` ctest test.
#
# A program linking libgort.a statically must be free to define `fatal`,
# `ready`, `park` ... of its own: the archive may define only gort_* (the
# API) and gort__* (the runtime's internals, renamed in
# runtime/src/namespace.h) global symbols.
#
# And every byte of the runtime's code must be in section gort_text, where
# the preemption signal looks for it (cmake/gort_text_section.sh): no
# member may have code left in a .text section.
set -eu
lib=${1:?usage: check_symbols.sh LIBGORT_A}
NM=${NM:-nm}
# The sanitizers' own symbols (ASan's __odr_asan.NAME indicators) are the
# compiler's, not the runtime's.
bad=$("$NM" --defined-only -g "$lib" 2>/dev/null | awk 'NF == 3 { print $3 }' |
      grep -v -e '^gort_' -e '^__odr_asan\.' -e '^__\(asan\|tsan\|ubsan\|sanitizer\)_' |
      sort -u || true)
if [ -n "$bad" ]; then
    echo "check_symbols: $lib defines global symbols outside the gort_ namespace:" >&2
    echo "$bad" | sed 's/^/  /' >&2
    echo "add them to runtime/src/namespace.h (#define NAME gort__NAME)" >&2
    exit 1
fi
n=$("$NM" --defined-only -g "$lib" | awk 'NF == 3' | wc -l)
echo "check_symbols: $n global symbols, none outside gort_* (sanitizer symbols aside)"

READELF=${READELF:-readelf}
# readelf -S on an archive prints "File: lib.a(member.o)" before each member.
stray=$("$READELF" -S --wide "$lib" | awk '
    /^File: / { member = $2; next }
    match($0, /\] \.text[^ ]* +PROGBITS +[0-9a-f]+ +[0-9a-f]+ +[0-9a-f]+/) {
        split(substr($0, RSTART + 2, RLENGTH - 2), f, / +/)
        if (f[5] !~ /^0+$/) print member ": " f[1]
    }')
if [ -n "$stray" ]; then
    echo "check_symbols: runtime code outside section gort_text:" >&2
    echo "$stray" | sed 's/^/  /' >&2
    echo "(objects compiled without cmake/gort_text_section.sh? rebuild them)" >&2
    exit 1
fi
code=$("$READELF" -S --wide "$lib" | grep -c '\] gort_text ' || true)
[ "$code" -gt 0 ] || { echo "check_symbols: no gort_text section in $lib" >&2; exit 1; }
echo "check_symbols: all code in gort_text ($code sections)"
