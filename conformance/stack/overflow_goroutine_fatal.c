// Unbounded recursion in a goroutine hits the guard below its stack:
// `fatal error: stack overflow` naming the goroutine and its creation site
// (this file), exit 2 — never silent corruption.
// gort-test: exit=2
// gort-test: stderr=fatal error: stack overflow
// (A recursion slowed past a time slice, as under Valgrind, is reported
// as running that long without yielding: the dump's suffix is allowed.)
// gort-test: stderr=^goroutine [0-9]+ \[running(, [0-9]+ ms without yielding)?\]
// gort-test: stderr=^created by .*overflow_goroutine_fatal\.c:[0-9]+
#include "check.h"

static volatile int never;

static CHECK_NOINLINE int overflow(int d)
{
    volatile char buf[1024];
    buf[0] = (char)d;
    if (never) return buf[0];
    return overflow(d + 1) + buf[0];
}

static void body(void *arg) { (void)arg; overflow(0); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    go(body, NULL);
    gort_sleep(MS(2000));
    check_fdprintf(2, "the overflowing goroutine did not kill the process\n");
    return 0;
}

GORT_MAIN(main_fn)
