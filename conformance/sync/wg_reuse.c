// A WaitGroup can be reused as soon as wait returns: 2,000 rounds on the same
// WaitGroup with a varying number of goroutines, each round's wait returning
// only after that round's goroutines are done.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define ROUNDS 2000

static gort_waitgroup wg;
static _Atomic int round_done;

static void worker(void *arg)
{
    (void)arg;
    if (atomic_fetch_add(&round_done, 1) % 3 == 0) gort_yield();
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int r = 0; r < ROUNDS; r++) {
        int n = 1 + r % 17;
        atomic_store(&round_done, 0);
        gort_wg_add(&wg, n);
        for (int i = 0; i < n; i++) go(worker, NULL);
        gort_wg_wait(&wg);
        CHECK_MSG(atomic_load(&round_done) == n, "round %d: wait returned with %d of %d done", r, atomic_load(&round_done), n);
    }
    return 0;
}

GORT_MAIN(main_fn)
