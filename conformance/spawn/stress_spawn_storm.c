// Spawn storm: 8 goroutines and 2 plain threads each spawn 50,000 short-lived
// goroutines as fast as they can (GOMAXPROCS=2); every one runs exactly once.
// gort-test: labels=stress
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "check.h"
#include <pthread.h>

#define SPAWNERS 8
#define THREADS 2
#define PER 50000
#define TOTAL ((SPAWNERS + THREADS) * PER)

static gort_waitgroup wg;
static _Atomic unsigned char runs[TOTAL];

static void leaf(void *arg)
{
    intptr_t i = (intptr_t)arg;
    atomic_fetch_add_explicit(&runs[i], 1, memory_order_relaxed);
    if ((i & 7) == 0) gort_yield();
    gort_wg_done(&wg);
}

static void spawner(void *arg)
{
    intptr_t s = (intptr_t)arg;
    for (intptr_t k = 0; k < PER; k++) {
        go(leaf, (void *)(s * PER + k));
        if ((k & 1023) == 0) gort_yield();
    }
    gort_wg_done(&wg);
}

static void *thread_spawner(void *arg)
{
    spawner(arg);
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_VALGRIND("500,000 goroutines from 10 spawners: still running after 6 minutes under Valgrind (one thread at a time)");
    SKIP_UNDER_TSAN(TSAN_MANY_GOROUTINES);
    gort_wg_add(&wg, TOTAL + SPAWNERS + THREADS);
    pthread_t th[THREADS];
    for (intptr_t t = 0; t < THREADS; t++) CHECK_EQ_INT(pthread_create(&th[t], NULL, thread_spawner, (void *)(SPAWNERS + t)), 0);
    for (intptr_t s = 0; s < SPAWNERS; s++) go(spawner, (void *)s);
    gort_wg_wait(&wg);
    for (int t = 0; t < THREADS; t++) CHECK_EQ_INT(pthread_join(th[t], NULL), 0);
    for (int i = 0; i < TOTAL; i++) CHECK_MSG(runs[i] == 1, "goroutine %d ran %d times", i, runs[i]);
    return 0;
}

GORT_MAIN(main_fn)
