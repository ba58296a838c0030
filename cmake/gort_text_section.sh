#!/bin/sh
# gort_text_section.sh OBJCOPY READELF COMPILER ARGS... — the runtime's
# compiler launcher (C_COMPILER_LAUNCHER of gort_obj): compiles, then moves
# every code section of the object (.text, .text.unlikely, .text.startup,
# and .text.NAME under -ffunction-sections) into one section, gort_text.
#
# Why: the asynchronous preemption signal (runtime/src/preempt.c) must
# never stop a goroutine inside the runtime's own code, which keeps M and P
# pointers and lock state in registers.  The linker gathers gort_text into
# one output section and defines __start_gort_text and __stop_gort_text
# around it, in a static link into the program as in libgort.so, so the
# signal handler tells the runtime's code apart with two compares.  (The
# assembly files put their code in gort_text themselves.)
set -eu
objcopy=$1
readelf=$2
shift 2
"$@"
out=
prev=
for a in "$@"; do
    [ "$prev" = "-o" ] && out=$a
    prev=$a
done
[ -n "$out" ] || exit 0
renames=
for s in $("$readelf" -S --wide "$out" | sed -n 's/^.*\] \(\.text[^ ]*\) .*$/\1/p' | sort -u); do
    renames="$renames --rename-section $s=gort_text"
done
[ -z "$renames" ] || exec "$objcopy" $renames "$out"
