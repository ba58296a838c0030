// Plain pthreads and goroutines contend on one gort_mutex: 2 threads and 20
// goroutines each increment a plain counter 5,000 times (GOMAXPROCS=2), some
// goroutines parking while they hold it so that threads really block; the
// count is exact and no two are ever inside at once.
// gort-test: env=GOMAXPROCS=2
#include "check.h"
#include <pthread.h>

#define THREADS 2
#define G 20
#define ITERS 5000

static gort_mutex mu;
static long counter;
static _Atomic int inside;
static gort_waitgroup wg;

static void section(int i)
{
    gort_mutex_lock(&mu);
    CHECK_MSG(atomic_fetch_add(&inside, 1) == 0, "two holders inside");
    long v = counter;
    if (gort_id() != 0 && i % 200 == 0) gort_sleep(US(50));
    counter = v + 1;
    atomic_fetch_sub(&inside, 1);
    gort_mutex_unlock(&mu);
}

static void *thr(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITERS; i++) section(i);
    gort_wg_done(&wg);
    return NULL;
}

static void gor(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITERS; i++) section(i);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, THREADS + G);
    pthread_t th[THREADS];
    for (int t = 0; t < THREADS; t++) CHECK_EQ_INT(pthread_create(&th[t], NULL, thr, NULL), 0);
    for (int i = 0; i < G; i++) go(gor, NULL);
    gort_wg_wait(&wg);
    for (int t = 0; t < THREADS; t++) CHECK_EQ_INT(pthread_join(th[t], NULL), 0);
    CHECK_EQ_INT(counter, (long)(THREADS + G) * ITERS);
    return 0;
}

GORT_MAIN(main_fn)
