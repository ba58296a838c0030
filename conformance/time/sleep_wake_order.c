// Sleepers wake in the order of their deadlines, not of their creation:
// goroutines sleeping 50, 10 and 30 ms (spawned in that order) wake in the
// order 10, 30, 50.  Repeated 3 times.
#include "check.h"

static _Atomic int pos;
static int order[3];
static gort_waitgroup wg;

static void sleeper(void *arg)
{
    int ms = (int)(intptr_t)arg;
    gort_sleep(MS(ms));
    order[atomic_fetch_add(&pos, 1)] = ms;
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_VALGRIND("timing: the sleeps are 20 ms apart, and under Valgrind (another test running beside it) the three spawns themselves can be further apart");
    for (int rep = 0; rep < 3; rep++) {
        atomic_store(&pos, 0);
        gort_wg_add(&wg, 3);
        go(sleeper, (void *)50);
        go(sleeper, (void *)10);
        go(sleeper, (void *)30);
        gort_wg_wait(&wg);
        CHECK_MSG(order[0] == 10 && order[1] == 30 && order[2] == 50, "woke in order %d, %d, %d",
                  order[0], order[1], order[2]);
    }
    return 0;
}

GORT_MAIN(main_fn)
