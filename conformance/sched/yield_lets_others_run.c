// gort_yield lets other goroutines run: with GOMAXPROCS=1, main spins on a
// flag calling only gort_yield, and the goroutine that sets it gets to run.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

static _Atomic int flag;
static _Atomic int progress;

static void setter(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) { atomic_fetch_add(&progress, 1); gort_yield(); }
    atomic_store(&flag, 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    go(setter, NULL);
    long yields = 0;
    while (!atomic_load(&flag)) {
        gort_yield();
        CHECK_MSG(++yields < 1000000, "1,000,000 yields and the other goroutine made %d steps", atomic_load(&progress));
    }
    /* each yield of main should let the setter take a step */
    CHECK_MSG(yields <= 1000, "main yielded %ld times for 100 steps of the other goroutine", yields);
    return 0;
}

GORT_MAIN(main_fn)
