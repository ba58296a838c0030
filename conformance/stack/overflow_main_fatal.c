// Unbounded recursion in the main goroutine: `fatal error: stack overflow`
// naming goroutine 1, exit 2.
// gort-test: exit=2
// gort-test: stderr=fatal error: stack overflow
// gort-test: stderr=goroutine 1[^0-9]
#include "check.h"

static volatile int never;

static CHECK_NOINLINE int overflow(int d)
{
    volatile char buf[1024];
    buf[0] = (char)d;
    if (never) return buf[0];
    return overflow(d + 1) + buf[0];
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    return overflow(0) & 0;
}

GORT_MAIN(main_fn)
