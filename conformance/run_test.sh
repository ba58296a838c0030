#!/bin/sh
# run_test.sh SPEC BINARY — runs one conformance test (or example) and checks it.
#
# SPEC is written by cmake (cmake/GortTest.cmake) from the test's
# `// gort-test:` annotations, one directive per line:
#   exit=N          expected exit status
#   stderr=REGEX    extended regex that some line of stderr must match (grep -E)
#   stdout=REGEX    same for stdout
#   env=NAME=VALUE  environment for the run
#   args=A B C      arguments, split at blanks
# GORT_TEST_LAUNCHER, when set, is a command (split at blanks) put in front
# of BINARY, e.g. "qemu-aarch64 -L /usr/aarch64-linux-gnu" for a cross build.
# Exits 0 when everything matched; 77 when the test itself exited 77 (skip) and
# that was not the expected status; 1 otherwise, after printing what was
# expected and what came out.
set -u

if [ $# -ne 2 ]; then
    echo "usage: run_test.sh SPEC BINARY" >&2
    exit 2
fi
spec=$1
bin=$2
name=$(basename "$bin")

if [ ! -r "$spec" ]; then
    echo "run_test.sh: cannot read spec file $spec" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gort-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# Build the command line: env NAME=VALUE... BINARY ARGS...
want_exit=0
set -f
set -- env
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
        exit=*) want_exit=${line#exit=} ;;
        env=*)  set -- "$@" "${line#env=}" ;;
    esac
done < "$spec"
# shellcheck disable=SC2086  # the launcher is split at blanks on purpose
[ -n "${GORT_TEST_LAUNCHER:-}" ] && set -- "$@" ${GORT_TEST_LAUNCHER}
set -- "$@" "$bin"
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
        args=*) for a in ${line#args=}; do set -- "$@" "$a"; done ;;
    esac
done < "$spec"
set +f

# no core files from tests that crash (dash and bash both have ulimit -c)
# shellcheck disable=SC3045
ulimit -c 0 2>/dev/null || true

"$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
status=$?

describe_status() {
    if [ "$1" -gt 128 ] && sig=$(kill -l "$1" 2>/dev/null) && [ -n "$sig" ]; then
        echo "killed by signal SIG${sig#SIG} ($(( $1 - 128 )))"
    else
        echo "exit status $1"
    fi
}

show() { # show LABEL FILE — print a captured stream, head and tail if long
    lines=$(wc -l < "$2" | tr -d ' ')
    echo "---- $1 ($lines lines) ----"
    if [ "$lines" -gt 400 ]; then
        head -n 150 "$2"
        echo "[... $((lines - 300)) lines omitted ...]"
        tail -n 150 "$2"
    else
        cat "$2"
    fi
    echo "---- end of $1 ----"
}

failures=""
nl='
'
if [ "$status" -ne "$want_exit" ]; then
    failures="${failures}  expected exit status $want_exit, got $(describe_status "$status")$nl"
fi
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
        stderr=*) stream=stderr; re=${line#stderr=} ;;
        stdout=*) stream=stdout; re=${line#stdout=} ;;
        *) continue ;;
    esac
    grep -E -a -q -e "$re" "$tmp/$stream"
    rc=$?
    if [ "$rc" -eq 1 ]; then
        failures="${failures}  $stream does not match: $re$nl"
    elif [ "$rc" -ne 0 ]; then
        failures="${failures}  bad regex for $stream: $re$nl"
    fi
done < "$spec"

if [ -z "$failures" ]; then
    show stdout "$tmp/stdout"
    show stderr "$tmp/stderr"
    echo "PASS: $name ($(describe_status "$status"))"
    exit 0
fi

if [ "$status" -eq 77 ] && [ "$want_exit" -ne 77 ]; then
    show stdout "$tmp/stdout"
    show stderr "$tmp/stderr"
    echo "SKIP: $name exited 77"
    exit 77
fi

echo "FAIL: $name"
echo "  command: $*"
printf '%s' "$failures"
show stdout "$tmp/stdout"
show stderr "$tmp/stderr"
echo "FAIL: $name: $(describe_status "$status")"
exit 1
