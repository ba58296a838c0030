// A goroutine with opts.stack_size = 128 KiB can use 96 KiB (more than the
// 64 KiB minimum default), and overflowing it is caught like any other:
// `fatal error: stack overflow` naming the goroutine and this file, exit 2.
// gort-test: exit=2
// gort-test: stdout=used 96 KiB
// gort-test: stderr=fatal error: stack overflow
// (A recursion slowed past a time slice, as under Valgrind, is reported
// as running that long without yielding: the dump's suffix is allowed.)
// gort-test: stderr=^goroutine [0-9]+ \[running(, [0-9]+ ms without yielding)?\]
// gort-test: stderr=^created by .*overflow_custom_size_fatal\.c:[0-9]+
#include "check.h"

static volatile int never;

static CHECK_NOINLINE int use_stack(int kb)
{
    volatile char buf[1024];
    buf[0] = (char)kb;
    if (kb <= 1) return buf[0];
    return use_stack(kb - 1) + buf[0] - (char)kb;
}

static CHECK_NOINLINE int overflow(int d)
{
    volatile char buf[1024];
    buf[0] = (char)d;
    if (never) return buf[0];
    return overflow(d + 1) + buf[0];
}

static void body(void *arg)
{
    (void)arg;
    CHECK_EQ_INT(use_stack(96), 1);
    check_fdprintf(1, "used 96 KiB\n");
    gort_yield();
    overflow(0);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_go_opts o = { .stack_size = 128 * 1024, .name = "custom" };
    gort_go_at(body, NULL, &o, __FILE__, __LINE__);
    gort_sleep(MS(2000));
    check_fdprintf(2, "the overflowing goroutine did not kill the process\n");
    return 0;
}

GORT_MAIN(main_fn)
