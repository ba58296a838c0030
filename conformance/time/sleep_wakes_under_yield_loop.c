// With GOMAXPROCS=1, a sleeping goroutine still wakes on time while another
// goroutine keeps the P busy yielding in a loop (timers are checked even
// when there is always runnable work): a 5 ms sleep ends within a generous
// 1 s.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

static _Atomic int woke;
static _Atomic int64_t slept;
static gort_waitgroup wg;

static void sleeper(void *arg)
{
    (void)arg;
    int64_t t0 = gort_now();
    gort_sleep(MS(5));
    atomic_store(&slept, gort_now() - t0);
    atomic_store(&woke, 1);
    gort_wg_done(&wg);
}

static void yielder(void *arg)
{
    (void)arg;
    int64_t deadline = now_ns() + MS(5000);
    while (!atomic_load(&woke)) {
        spin_ns(US(2));
        gort_yield();
        CHECK_MSG(now_ns() < deadline, "the sleeper never woke while another goroutine yielded for 5 s");
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 2);
    go(sleeper, NULL);
    go(yielder, NULL);
    gort_wg_wait(&wg);
    int64_t s = atomic_load(&slept);
    CHECK_MSG(s >= MS(5), "woke early: %lld ns", (long long)s);
    CHECK_MSG(s < MS(1000), "5 ms sleep took %lld ms next to a yield loop", (long long)(s / 1000000));
    return 0;
}

GORT_MAIN(main_fn)
