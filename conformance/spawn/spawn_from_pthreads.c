// Plain pthreads call gort_go concurrently while the runtime runs under
// gort_main: every goroutine runs exactly once, ids are unique across threads,
// and gort_id() on the plain threads is 0.
#include "check.h"
#include <pthread.h>

#define THREADS 4
#define PER_THREAD 2500
#define N (THREADS * PER_THREAD)

static gort_waitgroup ran_wg;      /* one done per goroutine */
static gort_waitgroup threads_wg;  /* one done per plain thread, called from the thread */
static _Atomic int runs[N];
static uint64_t ids[N];

static void body(void *arg)
{
    intptr_t i = (intptr_t)arg;
    CHECK(gort_id() > 1);
    atomic_fetch_add(&runs[i], 1);
    gort_wg_done(&ran_wg);
}

static void *spawner(void *arg)
{
    intptr_t t = (intptr_t)arg;
    CHECK_EQ_U64(gort_id(), 0);
    for (int k = 0; k < PER_THREAD; k++) {
        intptr_t i = t * PER_THREAD + k;
        ids[i] = gort_go(body, (void *)i);
        CHECK(ids[i] > 0);
    }
    CHECK_EQ_U64(gort_id(), 0);
    gort_wg_done(&threads_wg);
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    pthread_t th[THREADS];
    gort_wg_add(&ran_wg, N);
    gort_wg_add(&threads_wg, THREADS);
    for (intptr_t t = 0; t < THREADS; t++) CHECK_EQ_INT(pthread_create(&th[t], NULL, spawner, (void *)t), 0);
    gort_wg_wait(&threads_wg);       /* parks main; the threads signal from outside */
    gort_wg_wait(&ran_wg);
    for (int t = 0; t < THREADS; t++) CHECK_EQ_INT(pthread_join(th[t], NULL), 0);  /* already finished */
    for (int i = 0; i < N; i++) CHECK_MSG(atomic_load(&runs[i]) == 1, "goroutine %d ran %d times", i, atomic_load(&runs[i]));
    qsort(ids, N, sizeof ids[0], cmp_u64);
    for (int i = 1; i < N; i++) CHECK_MSG(ids[i] != ids[i - 1], "id %llu returned twice", (unsigned long long)ids[i]);
    return 0;
}

GORT_MAIN(main_fn)
