// GORT_STACK_SIZE from the environment sets the default stack size: with
// 1 MiB, a recursion using 512 KiB works in goroutines created with default
// options (NULL opts and stack_size 0).
// gort-test: env=GORT_STACK_SIZE=1048576
#include "check.h"

static CHECK_NOINLINE int use_stack(int kb)
{
    volatile char buf[1024];
    buf[0] = (char)kb;
    if (kb <= 1) return buf[0];
    return use_stack(kb - 1) + buf[0] - (char)kb;
}

static gort_waitgroup wg;
static _Atomic int ok;

static void body(void *arg)
{
    (void)arg;
    CHECK_EQ_INT(use_stack(512), 1);
    atomic_fetch_add(&ok, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_go_opts zero = { 0, NULL };
    gort_wg_add(&wg, 4);
    go(body, NULL);
    go(body, NULL);
    gort_go_at(body, NULL, &zero, __FILE__, __LINE__);
    gort_go_at(body, NULL, NULL, __FILE__, __LINE__);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&ok), 4);
    return 0;
}

GORT_MAIN(main_fn)
