// gort_sleep from a plain thread (no goroutine) blocks that thread for at
// least the duration (100 ms), and goroutines run meanwhile: a goroutine
// waits until the thread is in its sleep and then runs (it must find the
// sleep not yet over: running before the sleep began would show nothing).
#include "check.h"
#include <pthread.h>

static _Atomic int64_t slept;
static _Atomic int goroutine_ran, thread_sleeping, ran_during_sleep = -1;
static gort_waitgroup wg;

static void *thr(void *arg)
{
    (void)arg;
    int64_t t0 = gort_now();
    atomic_store(&thread_sleeping, 1);
    gort_sleep(MS(100));
    atomic_store(&slept, gort_now() - t0);
    gort_wg_done(&wg);
    return NULL;
}

static void g(void *arg)
{
    (void)arg;
    while (!atomic_load(&thread_sleeping)) gort_sleep(US(50));
    atomic_store(&ran_during_sleep, atomic_load(&slept) == 0);
    atomic_store(&goroutine_ran, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 2);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, thr, NULL), 0);
    go(g, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    CHECK_MSG(atomic_load(&slept) >= MS(100), "plain-thread sleep(100ms) lasted %lld ns", (long long)atomic_load(&slept));
    CHECK_MSG(atomic_load(&slept) < MS(1000), "plain-thread sleep(100ms) lasted %lld ms", (long long)(atomic_load(&slept) / 1000000));
    CHECK_EQ_INT(atomic_load(&goroutine_ran), 1);
    CHECK_MSG(atomic_load(&ran_during_sleep) == 1, "the goroutine ran only after the plain thread's sleep was over");
    return 0;
}

GORT_MAIN(main_fn)
