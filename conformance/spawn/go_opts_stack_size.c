// gort_go_at with opts->stack_size gives the goroutine a stack of that size:
// a 2 MiB stack runs a recursion using 1.5 MiB (far beyond the 64 KiB default
// minimum); stack_size 0 means the default.
#include "check.h"

static gort_waitgroup wg;
static _Atomic int ok_big, ok_default;

static CHECK_NOINLINE int recurse(int depth)
{
    volatile char buf[1024];
    buf[0] = (char)depth;
    buf[sizeof buf - 1] = (char)depth;
    if (depth == 0) return buf[0];
    return recurse(depth - 1) + buf[sizeof buf - 1];
}

static void big(void *arg)
{
    (void)arg;
    recurse(1536);                 /* ~1.5 MiB of frames */
    atomic_store(&ok_big, 1);
    gort_wg_done(&wg);
}

static void dflt(void *arg)
{
    (void)arg;
    recurse(32);                   /* ~32 KiB, within any default */
    atomic_store(&ok_default, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_go_opts o_big = { .stack_size = 2u << 20, .name = "big-stack" };
    gort_go_opts o_dflt = { .stack_size = 0, .name = NULL };
    gort_wg_add(&wg, 2);
    CHECK(gort_go_at(big, NULL, &o_big, __FILE__, __LINE__) > 0);
    CHECK(gort_go_at(dflt, NULL, &o_dflt, __FILE__, __LINE__) > 0);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&ok_big), 1);
    CHECK_EQ_INT(atomic_load(&ok_default), 1);
    return 0;
}

GORT_MAIN(main_fn)
