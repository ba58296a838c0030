// 10,000 goroutines sleep concurrently for a random 1-50 ms each: all wake,
// none early, none very late (within 50 ms + a generous 2 s of the start),
// and they all finish in well under the 10,000 x 25 ms a serial sleep would take.
#include "check.h"

#define N 10000

static gort_waitgroup wg;
static _Atomic int early, woke;
static _Atomic int64_t worst_late;

static void sleeper(void *arg)
{
    uint64_t r = (uint64_t)(uintptr_t)arg * 31 + 7;
    int64_t d = MS(1) + (int64_t)(rand_next(&r) % (uint64_t)MS(49));
    int64_t t0 = gort_now();
    gort_sleep(d);
    int64_t late = gort_now() - t0 - d;
    if (late < 0) atomic_fetch_add(&early, 1);
    int64_t w = atomic_load(&worst_late);
    while (late > w && !atomic_compare_exchange_weak(&worst_late, &w, late)) {}
    atomic_fetch_add(&woke, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_TSAN(TSAN_MANY_GOROUTINES);
    int64_t t0 = gort_now();
    gort_wg_add(&wg, N);
    for (intptr_t i = 0; i < N; i++) go(sleeper, (void *)i);
    gort_wg_wait(&wg);
    int64_t total = gort_now() - t0;
    NOTE("10,000 sleepers: all done after %lld ms, worst lateness %lld us\n", (long long)(total / 1000000),
         (long long)(atomic_load(&worst_late) / 1000));
    CHECK_EQ_INT(atomic_load(&woke), N);
    CHECK_EQ_INT(atomic_load(&early), 0);
    CHECK_MSG(total < MS(2050), "10,000 sleeps of <= 50 ms took %lld ms in all", (long long)(total / 1000000));
    return 0;
}

GORT_MAIN(main_fn)
