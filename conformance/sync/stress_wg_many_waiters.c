// Stress: 1,000 rounds; in each, 500 goroutines wait on one WaitGroup that 50
// other goroutines complete; every waiter is released each round, and the
// WaitGroup is reused at once.
// gort-test: labels=stress
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "check.h"

#define ROUNDS (CHECK_TSAN ? 20 : 1000)   /* each goroutine is a TSan fiber: slow to make */
#define WAITERS 500
#define DONERS 50

static gort_waitgroup gate, all;
static _Atomic int doners_done, released;

static void waiter(void *arg)
{
    (void)arg;
    gort_wg_wait(&gate);
    CHECK_MSG(atomic_load(&doners_done) == DONERS, "a waiter was released with %d of %d dones", atomic_load(&doners_done), DONERS);
    atomic_fetch_add(&released, 1);
    gort_wg_done(&all);
}

static void doner(void *arg)
{
    (void)arg;
    gort_yield();
    atomic_fetch_add(&doners_done, 1);
    gort_wg_done(&gate);
    gort_wg_done(&all);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int r = 0; r < ROUNDS; r++) {
        atomic_store(&doners_done, 0);
        atomic_store(&released, 0);
        gort_wg_add(&gate, DONERS);
        gort_wg_add(&all, WAITERS + DONERS);
        for (int i = 0; i < WAITERS; i++) {
            go(waiter, NULL);
            if (i % 10 == 0) go(doner, NULL);
        }
        gort_wg_wait(&all);
        CHECK_EQ_INT(atomic_load(&released), WAITERS);
    }
    return 0;
}

GORT_MAIN(main_fn)
