// Stress: 4 goroutines each spawn 50,000 sleepers (random 0-5 ms, some
// re-sleeping) while GOMAXPROCS=2; all 200,000 wake, none early.
// gort-test: labels=stress
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "check.h"

#define SPAWNERS 4
#define PER 50000

static gort_waitgroup wg;
static _Atomic long woke, early;

static void sleeper(void *arg)
{
    uint64_t r = (uint64_t)(uintptr_t)arg * 977 + 3;
    int times = 1 + (int)(rand_next(&r) % 3);
    for (int k = 0; k < times; k++) {
        int64_t d = (int64_t)(rand_next(&r) % (uint64_t)MS(5));
        int64_t t0 = gort_now();
        gort_sleep(d);
        if (gort_now() - t0 < d) atomic_fetch_add(&early, 1);
    }
    atomic_fetch_add(&woke, 1);
    gort_wg_done(&wg);
}

static void spawner(void *arg)
{
    intptr_t s = (intptr_t)arg;
    for (intptr_t i = 0; i < PER; i++) {
        go(sleeper, (void *)(s * PER + i));
        if ((i & 255) == 0) gort_sleep(US(100));
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_VALGRIND("200,000 sleepers: many minutes at Valgrind's speed (one thread at a time)");
    SKIP_UNDER_TSAN(TSAN_MANY_GOROUTINES);
    gort_wg_add(&wg, SPAWNERS * (PER + 1));
    for (intptr_t s = 0; s < SPAWNERS; s++) go(spawner, (void *)s);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&woke), (long)SPAWNERS * PER);
    CHECK_EQ_INT(atomic_load(&early), 0);
    return 0;
}

GORT_MAIN(main_fn)
