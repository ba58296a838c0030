// A plain pthread may call gort_wg_go and gort_wg_wait: the thread starts 20
// goroutines with gort_wg_go (each sleeps 2 ms, then counts), waits for
// them as an OS thread, and sees all 20 counts; none of the functions ran
// on the thread itself (each had a goroutine id).
#include "check.h"
#include <pthread.h>

#define N 20

static _Atomic int counted, on_thread;

static void fn(void *arg)
{
    (void)arg;
    if (gort_id() == 0) atomic_fetch_add(&on_thread, 1);
    gort_sleep(MS(2));
    atomic_fetch_add(&counted, 1);
}

static _Atomic int thread_saw = -1;
static _Atomic int thread_known;
static gort_chan *finished;

static void *thr(void *arg)
{
    (void)arg;
    CHECK_EQ_U64(gort_id(), 0);   /* from here the runtime counts this thread */
    atomic_store(&thread_known, 1);
    gort_waitgroup wg = {0};
    for (int i = 0; i < N; i++) gort_wg_go(&wg, fn, NULL);
    gort_wg_wait(&wg);
    atomic_store(&thread_saw, atomic_load(&counted));
    gort_chan_send(finished, NULL);
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    finished = gort_chan_make(0, 0);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, thr, NULL), 0);
    /* Until its first gort call the runtime cannot know the thread will
     * wake main; it waits only 100 ms before declaring a deadlock, which a
     * thread slow to start (under Valgrind on a loaded machine) can miss. */
    while (!atomic_load(&thread_known))
        gort_sleep(MS(1));
    gort_chan_recv(finished, NULL);        /* parks main, not its thread */
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    CHECK_EQ_INT(atomic_load(&thread_saw), N);
    CHECK_EQ_INT(atomic_load(&on_thread), 0);
    gort_chan_unref(finished);
    return 0;
}

GORT_MAIN(main_fn)
