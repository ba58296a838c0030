// GORT_STACK_SIZE also lowers the default: with 64 KiB, a goroutine with the
// default stack that recurses 1 MiB deep overflows (fatal, exit 2), where a
// larger default could have let it through.
// gort-test: env=GORT_STACK_SIZE=65536
// gort-test: exit=2
// gort-test: stdout=used 32 KiB
// gort-test: stderr=fatal error: stack overflow
#include "check.h"

static CHECK_NOINLINE int use_stack(int kb)
{
    volatile char buf[1024];
    buf[0] = (char)kb;
    if (kb <= 1) return buf[0];
    return use_stack(kb - 1) + buf[0] - (char)kb;
}

static void body(void *arg)
{
    (void)arg;
    CHECK_EQ_INT(use_stack(32), 1);
    check_fdprintf(1, "used 32 KiB\n");
    use_stack(1024);
    check_fdprintf(2, "1 MiB of recursion fit in a 64 KiB default stack\n");
    _exit(1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    go(body, NULL);
    gort_sleep(MS(2000));
    check_fdprintf(2, "the goroutine neither finished nor overflowed\n");
    return 1;
}

GORT_MAIN(main_fn)
