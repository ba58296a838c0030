// gort_go never blocks and does not hand the processor to the new goroutine:
// with GOMAXPROCS=1, main spawns 10,000 goroutines and keeps running; none of
// them has run yet when the loop ends, all are counted, and all run once main parks.
// Asynchronous preemption is off: it may legitimately interrupt main's loop
// (under qemu 10,000 spawns take longer than a time slice) and run one.
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
#include "check.h"

#define N 10000

static _Atomic int ran;
static gort_waitgroup wg;

static void body(void *arg)
{
    (void)arg;
    atomic_fetch_add(&ran, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_TSAN(TSAN_MANY_GOROUTINES);
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    gort_wg_add(&wg, N);
    int64_t t0 = now_ns();
    for (int i = 0; i < N; i++) {
        go(body, NULL);
        CHECK_MSG(atomic_load(&ran) == 0, "a spawned goroutine ran while main was still spawning (after %d spawns)", i + 1);
    }
    int64_t dt = now_ns() - t0;
    CHECK_EQ_INT(atomic_load(&ran), 0);
    CHECK_EQ_INT(gort_num_goroutine(), N + 1);
    /* 10,000 spawns must not have waited for anything: a very generous
     * bound (20 times more under Valgrind, which runs 20-50 times slower). */
    int64_t bound = CHECK_VALGRIND ? MS(40000) : MS(2000);
    CHECK_MSG(dt < bound, "10,000 spawns took %lld ms", (long long)(dt / 1000000));
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&ran), N);
    return 0;
}

GORT_MAIN(main_fn)
