// gort_select with n == 0 and block true blocks for ever (Go's empty
// `select {}`), with cases NULL or not: goroutines in it never return while
// main sleeps 100 ms; main then exits normally (exit 0).
#include "check.h"

static _Atomic int started, returned;

static void empty_select(void *arg)
{
    atomic_fetch_add(&started, 1);
    int r = gort_select((gort_case *)arg, 0, true);
    check_fdprintf(2, "gort_select(n=0, block) returned %d\n", r);
    atomic_fetch_add(&returned, 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    static gort_case dummy[1] = {{GORT_RECV, NULL, NULL, false}};
    go(empty_select, NULL);
    go(empty_select, NULL);
    go(empty_select, dummy);
    for (int i = 0; i < 10; i++) {
        gort_sleep(MS(10));
        CHECK_EQ_INT(atomic_load(&returned), 0);
    }
    CHECK_EQ_INT(atomic_load(&started), 3);
    return 0;
}

GORT_MAIN(main_fn)
