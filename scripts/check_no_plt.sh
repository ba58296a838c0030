#!/bin/sh
# check_no_plt.sh LIBGORT_A — the `runtime_calls_bound_at_load` ctest test.
#
# The runtime must never call a shared library through a lazily bound PLT
# slot: the first such call runs the dynamic loader's resolver on the
# calling goroutine's stack, and the resolver saves the vector registers
# there (over 1.5 KiB on x86-64 with AVX-512), more than a packed 1 KiB or
# 2 KiB goroutine stack holds.  The runtime is compiled with -fno-plt
# (CMakeLists.txt), so each call to a function it does not define loads the
# target from the GOT, filled when the program starts.
#
# Fails if any member of the archive has a call relocation through the PLT
# (x86-64 R_X86_64_PLT32/PLT64, AArch64 R_AARCH64_CALL26/JUMP26) against a
# symbol the archive does not define; and, so that the check cannot pass
# vacuously, if pthread_create is not reached through the GOT.
set -eu
lib=${1:?usage: check_no_plt.sh LIBGORT_A}
NM=${NM:-nm}
READELF=${READELF:-readelf}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$NM" --defined-only "$lib" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u > "$tmp/defined"
# readelf -r --wide: "offset info type value name + addend" per relocation.
"$READELF" -r --wide "$lib" > "$tmp/relocs"
awk '$3 ~ /^R_X86_64_PLT(32|64)$|^R_AARCH64_(CALL|JUMP)26$/ && NF >= 5 {
         name = $5; sub(/@.*/, "", name); print name }' "$tmp/relocs" | sort -u > "$tmp/called"
# Left out: calls to a section of the member itself (readelf names the
# section: gort_text); AArch64's outline atomics (__aarch64_cas4_acq_rel
# ...), which come from libgcc.a and are linked into the program, never
# through the PLT; and compiler-inserted calls into the sanitizers'
# runtimes (packed stacks are not used under the sanitizers: see
# SKIP_UNDER_SANITIZERS in conformance/check.h).
# clang 14 calls the memcpy, memmove and memset it generates through the
# PLT even with -fno-plt; stack.c's bind_compiler_libcalls makes their
# first calls at start-up, so they are allowed while it is there.
libcalls_bound=no
if "$NM" "$lib" 2>/dev/null | grep -q ' bind_compiler_libcalls$'; then
    libcalls_bound=yes
fi
bad=$(comm -23 "$tmp/called" "$tmp/defined" |
      grep -v -e '^gort_text$' -e '^\.' -e '^__aarch64_' \
              -e '^__\(asan\|tsan\|ubsan\|sanitizer\|msan\)_' |
      if [ "$libcalls_bound" = yes ]; then grep -v -x -e memcpy -e memmove -e memset; else cat; fi ||
      true)
if [ -n "$bad" ]; then
    echo "check_no_plt: $lib calls these through the PLT (lazily bound):" >&2
    echo "$bad" | sed 's/^/  /' >&2
    echo "(compiled without -fno-plt? see CMakeLists.txt)" >&2
    exit 1
fi
got=$(awk '$3 ~ /GOTPCREL|_GOT/ && $5 ~ /^pthread_create(@|$)/' "$tmp/relocs" | wc -l)
if [ "$got" -eq 0 ]; then
    echo "check_no_plt: no GOT relocation for pthread_create in $lib: nothing was checked?" >&2
    exit 1
fi
n=$(wc -l < "$tmp/called")
echo "check_no_plt: no PLT call to an undefined symbol ($n symbols called through PLT relocations, all defined in the archive or bound at start-up); pthread_create through the GOT"
