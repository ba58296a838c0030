// Go's TestMutexFairness: one goroutine holds the mutex almost all the time
// (lock, sleep 100 us while holding it, unlock, lock again); another still
// acquires it 10 times within a generous 5 s.  Works with one P too.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

static gort_mutex mu;
static _Atomic int stop;
static gort_waitgroup wg;

static void holder(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        gort_mutex_lock(&mu);
        gort_sleep(US(100));
        gort_mutex_unlock(&mu);
    }
    gort_wg_done(&wg);
}

static void taker(void *arg)
{
    (void)arg;
    int64_t t0 = now_ns();
    for (int i = 0; i < 10; i++) {
        gort_sleep(US(100));
        gort_mutex_lock(&mu);
        gort_mutex_unlock(&mu);
        CHECK_MSG(now_ns() - t0 < MS(5000), "only %d acquisitions in 5 s", i + 1);
    }
    atomic_store(&stop, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 2);
    go(holder, NULL);
    go(taker, NULL);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
