// Stress: 400 goroutines mix read and write locking on one RWMutex
// (1 write in 10) with GOMAXPROCS=2; the invariant (writers alone, readers
// only with readers) always holds and the writers' count is exact.
// gort-test: labels=stress
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "check.h"

#define G 400
#define OPS 20000

static gort_rwmutex rw;
static _Atomic int readers_in, writers_in;
static long wcount;
static _Atomic long wexpected;
static gort_waitgroup wg;

static void worker(void *arg)
{
    uint64_t r = (uint64_t)(uintptr_t)arg + 12345;
    long mine = 0;
    for (int i = 0; i < OPS; i++) {
        uint64_t x = rand_next(&r);
        if (x % 10 == 0) {
            gort_rwmutex_lock(&rw);
            CHECK(atomic_fetch_add(&writers_in, 1) == 0);
            CHECK(atomic_load(&readers_in) == 0);
            wcount++;
            mine++;
            if ((x >> 8) % 16 == 0) gort_yield();
            atomic_fetch_sub(&writers_in, 1);
            gort_rwmutex_unlock(&rw);
        } else {
            gort_rwmutex_rlock(&rw);
            atomic_fetch_add(&readers_in, 1);
            CHECK(atomic_load(&writers_in) == 0);
            if ((x >> 8) % 32 == 0) gort_yield();
            CHECK(atomic_load(&writers_in) == 0);
            atomic_fetch_sub(&readers_in, 1);
            gort_rwmutex_runlock(&rw);
        }
    }
    atomic_fetch_add(&wexpected, mine);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, G);
    for (intptr_t i = 0; i < G; i++) go(worker, (void *)i);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(wcount, atomic_load(&wexpected));
    return 0;
}

GORT_MAIN(main_fn)
