// 100,000 goroutines sleeping at the same time (1..50 ms each) on 2 Ps all
// wake, none early, and the program ends with all of them gone.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "check.h"

#define N 100000

static gort_waitgroup wg;
static _Atomic int woke, early;

static void sleeper(void *arg)
{
    uint64_t r = (uint64_t)(uintptr_t)arg + 1;
    int64_t d = MS(1) + (int64_t)(rand_next(&r) % (uint64_t)MS(49));
    int64_t t0 = gort_now();
    gort_sleep(d);
    if (gort_now() - t0 < d) atomic_fetch_add(&early, 1);
    atomic_fetch_add(&woke, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_VALGRIND("100,000 goroutines (the leak check at exit alone reads 100,000 stacks)");
    int64_t t0 = now_ns();
    gort_wg_add(&wg, N);
    for (intptr_t i = 0; i < N; i++) {
        gort_go_opts o = { .stack_size = 16384, .name = NULL };
        gort_go_at(sleeper, (void *)i, &o, __FILE__, __LINE__);
    }
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&woke), N);
    CHECK_EQ_INT(atomic_load(&early), 0);
    CHECK_EQ_INT(gort_leakcheck(MS(2000)), 0);
    NOTE("100000 sleepers in %lld ms\n", (long long)((now_ns() - t0) / 1000000));
    return 0;
}

GORT_MAIN(main_fn)
