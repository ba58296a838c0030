// A recursion using 32 KiB of frames works within the default stack (at least
// 64 KiB), in a spawned goroutine and in main, repeatedly and after parks.
#include "check.h"

static CHECK_NOINLINE int use_stack(int kb)
{
    volatile char buf[1024];
    buf[0] = (char)kb;
    buf[sizeof buf - 1] = (char)kb;
    if (kb <= 1) return buf[0];
    int r = use_stack(kb - 1);
    return r + buf[sizeof buf - 1] - (char)kb;
}

static gort_waitgroup wg;
static _Atomic int ok;

static void body(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(use_stack(32), 1);
        gort_yield();
    }
    atomic_fetch_add(&ok, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(use_stack(32), 1);
    gort_wg_add(&wg, 20);
    for (int i = 0; i < 20; i++) go(body, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&ok), 20);
    CHECK_EQ_INT(use_stack(32), 1);
    return 0;
}

GORT_MAIN(main_fn)
