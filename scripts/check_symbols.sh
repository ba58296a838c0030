#!/bin/sh
# check_symbols.sh LIBGORT_A — the `symbols_namespaced` ctest test.
#
# A program linking libgort.a statically must be free to define `fatal`,
# `ready`, `park` ... of its own: the archive may define only gort_* (the
# API) and gort__* (the runtime's internals, renamed in
# runtime/src/namespace.h) global symbols.
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
