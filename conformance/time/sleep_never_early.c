// gort_sleep never wakes early, for any duration from 1 ns to 20 ms, in 50
// goroutines sleeping concurrently with GOMAXPROCS=2.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define G 50

static const int64_t durations[] = { 1, 999, 1000, 10000, 50000, 100000, 499999, 1000000, 3000000, 7000000, 20000000 };
static gort_waitgroup wg;

static void sleeper(void *arg)
{
    uint64_t r = (uint64_t)(uintptr_t)arg + 99;
    for (int i = 0; i < 30; i++) {
        int64_t d = durations[rand_next(&r) % (sizeof durations / sizeof durations[0])];
        int64_t t0 = gort_now();
        gort_sleep(d);
        int64_t el = gort_now() - t0;
        CHECK_MSG(el >= d, "sleep(%lld ns) woke after %lld ns", (long long)d, (long long)el);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, G);
    for (intptr_t i = 0; i < G; i++) go(sleeper, (void *)i);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
