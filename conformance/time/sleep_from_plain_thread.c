// gort_sleep from a plain thread (no goroutine) blocks that thread for at
// least the duration, and goroutines run meanwhile.
#include "check.h"
#include <pthread.h>

static _Atomic int64_t slept;
static _Atomic int goroutine_ran;
static gort_waitgroup wg;

static void *thr(void *arg)
{
    (void)arg;
    int64_t t0 = gort_now();
    gort_sleep(MS(20));
    atomic_store(&slept, gort_now() - t0);
    gort_wg_done(&wg);
    return NULL;
}

static void g(void *arg) { (void)arg; atomic_store(&goroutine_ran, 1); gort_wg_done(&wg); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 2);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, thr, NULL), 0);
    go(g, NULL);
    gort_wg_wait(&wg);
    pthread_join(t, NULL);
    CHECK_MSG(atomic_load(&slept) >= MS(20), "plain-thread sleep(20ms) lasted %lld ns", (long long)atomic_load(&slept));
    CHECK_MSG(atomic_load(&slept) < MS(1000), "plain-thread sleep(20ms) lasted %lld ms", (long long)(atomic_load(&slept) / 1000000));
    CHECK_EQ_INT(atomic_load(&goroutine_ran), 1);
    return 0;
}

GORT_MAIN(main_fn)
