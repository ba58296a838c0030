// A goroutine with a sub-page stack (opts.stack_size = 2048) that uses ~3 KiB
// overflows it; the runtime catches that at the latest when it next parks:
// `fatal error: stack overflow`, exit 2.
// gort-test: exit=2
// gort-test: stderr=fatal error: stack overflow
#include "check.h"

static CHECK_NOINLINE int use_stack(int n)
{
    volatile char buf[256];
    buf[0] = (char)n;
    buf[255] = (char)n;
    if (n <= 1) return buf[0];
    return use_stack(n - 1) + buf[255] - (char)n;
}

static void tiny(void *arg)
{
    (void)arg;
    use_stack(12);             /* ~3 KiB of frames in a 2 KiB stack */
    gort_yield();
    gort_sleep(MS(1));
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_go_opts o = { .stack_size = 2048, .name = NULL };
    gort_go_at(tiny, NULL, &o, __FILE__, __LINE__);
    gort_sleep(MS(1000));
    check_fdprintf(2, "a 3 KiB recursion in a 2 KiB stack went unnoticed\n");
    return 0;
}

GORT_MAIN(main_fn)
