// A program whose only goroutine sleeps is not deadlocked: a pending timer
// will wake it.  Main sleeps 200 ms (while nothing else exists), then a
// goroutine it waits for sleeps too; the program ends normally.
// gort-test: stdout=^slept$
#include "check.h"

static gort_waitgroup wg;

static void napper(void *arg)
{
    (void)arg;
    gort_sleep(MS(100));
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_sleep(MS(200));
    gort_wg_add(&wg, 1);
    go(napper, NULL);
    gort_wg_wait(&wg);   /* blocked, but napper's timer is pending */
    printf("slept\n");
    return 0;
}

GORT_MAIN(main_fn)
