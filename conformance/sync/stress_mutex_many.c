// Stress: 1,000 goroutines x 10,000 operations on 4 mutexes (lock, trylock,
// lock across a yield) with GOMAXPROCS=2; every protected counter is exact.
// gort-test: labels=stress
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "check.h"

#define G 1000
#define OPS 10000
#define M 4

static gort_mutex mu[M];
static long counter[M];
static _Atomic int inside[M];
static _Atomic long expected[M];
static gort_waitgroup wg;

static void worker(void *arg)
{
    uint64_t r = (uint64_t)(uintptr_t)arg * 2654435761u + 1;
    long mine[M] = {0};
    for (int i = 0; i < OPS; i++) {
        uint64_t x = rand_next(&r);
        int k = (int)(x % M);
        if ((x >> 8) % 4 == 0) {
            if (!gort_mutex_trylock(&mu[k])) continue;
        } else {
            gort_mutex_lock(&mu[k]);
        }
        CHECK_MSG(atomic_fetch_add(&inside[k], 1) == 0, "mutex %d held twice", k);
        long v = counter[k];
        if ((x >> 16) % 64 == 0) gort_yield();
        counter[k] = v + 1;
        mine[k]++;
        atomic_fetch_sub(&inside[k], 1);
        gort_mutex_unlock(&mu[k]);
    }
    for (int k = 0; k < M; k++) atomic_fetch_add(&expected[k], mine[k]);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, G);
    for (intptr_t i = 0; i < G; i++) go(worker, (void *)i);
    gort_wg_wait(&wg);
    long total = 0;
    for (int k = 0; k < M; k++) {
        CHECK_EQ_INT(counter[k], atomic_load(&expected[k]));
        total += counter[k];
    }
    CHECK_MSG(total > (long)G * OPS / 2, "only %ld of %d operations took a lock", total, G * OPS);
    return 0;
}

GORT_MAIN(main_fn)
