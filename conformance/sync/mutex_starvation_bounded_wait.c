// Mutex starvation mode: a goroutine that re-locks in a tight loop (lock,
// 10 us of work, unlock, lock again — never yielding) cannot starve a waiter:
// each of the waiter's 20 lock calls succeeds within 1 s (Go switches to
// starvation mode after 1 ms).
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static gort_mutex mu;
static gort_waitgroup wg;
static _Atomic int stop;
static _Atomic int hog_running;

static void hog(void *arg)
{
    (void)arg;
    int64_t deadline = now_ns() + MS(10000);
    while (!atomic_load(&stop) && now_ns() < deadline) {
        gort_mutex_lock(&mu);
        atomic_store(&hog_running, 1);
        spin_ns(US(10));
        gort_mutex_unlock(&mu);
    }
    gort_wg_done(&wg);
}

static void waiter(void *arg)
{
    (void)arg;
    while (!atomic_load(&hog_running)) gort_yield();
    int64_t worst = 0;
    for (int i = 0; i < 20; i++) {
        gort_sleep(US(100));
        int64_t t0 = now_ns();
        gort_mutex_lock(&mu);
        int64_t w = now_ns() - t0;
        gort_mutex_unlock(&mu);
        if (w > worst) worst = w;
        CHECK_MSG(w < MS(1000), "waiter %d waited %lld ms for the mutex", i, (long long)(w / 1000000));
    }
    NOTE("worst wait %lld us\n", (long long)(worst / 1000));
    atomic_store(&stop, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 2);
    go(hog, NULL);
    go(waiter, NULL);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
