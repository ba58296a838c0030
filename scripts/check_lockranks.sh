#!/bin/sh
# check_lockranks.sh SRC_DIR — docs/DESIGN.md's lock order table lists
# runtime/src/lockrank.h's ranks, in the same order, with the same
# "several" flag (ctest lock_ranks_documented).
set -eu
src=${1:-.}
hdr="$src/runtime/src/lockrank.h"
doc="$src/docs/DESIGN.md"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# X(NAME, multi, "what") lines of GORT_LOCK_RANKS, in order
sed -n 's/^[[:space:]]*X(\([A-Z_]*\),[[:space:]]*\([01]\),.*/\1 \2/p' "$hdr" \
    | sed 's/ 1$/ yes/; s/ 0$/ no/' >"$tmp/ranks"
# | `NAME` | yes/no | ... | rows between the markers
sed -n '/<!-- lock-ranks: begin -->/,/<!-- lock-ranks: end -->/p' "$doc" \
    | sed -n 's/^| `\([A-Z_]*\)` | \(yes\|no\) |.*/\1 \2/p' >"$tmp/doc"

if [ ! -s "$tmp/ranks" ]; then
    echo "check_lockranks: no ranks found in $hdr" >&2
    exit 1
fi
if ! cmp -s "$tmp/ranks" "$tmp/doc"; then
    echo "check_lockranks: docs/DESIGN.md's lock order table differs from lockrank.h" >&2
    echo "(left: lockrank.h, right: DESIGN.md)" >&2
    diff "$tmp/ranks" "$tmp/doc" >&2 || true
    exit 1
fi
echo "lock ranks documented: $(wc -l <"$tmp/ranks") ranks, same order"
