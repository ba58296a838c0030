// A WaitGroup may be freed as soon as wait returns, even while the goroutine
// whose done woke the waiter is still finishing its call: 20,000 heap
// WaitGroups, each poisoned and freed (and its memory reused at once) right
// after wait, with GOMAXPROCS=2 so done and wait race on two threads.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define ITERS 20000
#define WORKERS 3

static void worker(void *arg)
{
    gort_waitgroup *wg = arg;
    gort_wg_done(wg);          /* must not touch *wg after the waiter may have freed it */
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int it = 0; it < ITERS; it++) {
        gort_waitgroup *wg = malloc(sizeof *wg);
        CHECK(wg != NULL);
        memset(wg, 0, sizeof *wg);
        gort_wg_add(wg, WORKERS);
        for (int i = 0; i < WORKERS; i++) go(worker, wg);
        gort_wg_wait(wg);
        memset(wg, 0xA5, sizeof *wg);  /* poison: a late access sees garbage */
        free(wg);
        void *again = malloc(sizeof(gort_waitgroup));
        memset(again, 0x5A, sizeof(gort_waitgroup));
        free(again);
    }
    return 0;
}

GORT_MAIN(main_fn)
