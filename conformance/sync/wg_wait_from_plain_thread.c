// A plain pthread may wait on a WaitGroup that goroutines complete: the
// thread blocks in gort_wg_wait (as an OS thread) and wakes when the last
// goroutine calls done, after all their work; it then calls done on
// another WaitGroup from the plain thread, which wakes main.
#include "check.h"
#include <pthread.h>

#define N 50

static gort_waitgroup work_wg, thread_wg;
static _Atomic int work;
static _Atomic int thread_saw = -1;

static void worker(void *arg)
{
    (void)arg;
    gort_sleep(MS(2));
    atomic_fetch_add(&work, 1);
    gort_wg_done(&work_wg);
}

static void *thr(void *arg)
{
    (void)arg;
    CHECK_EQ_U64(gort_id(), 0);
    gort_wg_wait(&work_wg);
    atomic_store(&thread_saw, atomic_load(&work));
    gort_wg_done(&thread_wg);
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&work_wg, N);
    gort_wg_add(&thread_wg, 1);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, thr, NULL), 0);
    gort_sleep(MS(5));          /* let the thread block first */
    for (int i = 0; i < N; i++) go(worker, NULL);
    gort_wg_wait(&thread_wg);
    CHECK_EQ_INT(atomic_load(&thread_saw), N);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    return 0;
}

GORT_MAIN(main_fn)
