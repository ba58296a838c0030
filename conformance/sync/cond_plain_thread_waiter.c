// A plain pthread may wait on a cond (it blocks as an OS thread) and takes
// its place in the queue like a goroutine: the thread starts waiting first,
// then goroutine G; the first signal (from main) wakes the thread — the
// longest waiter — not G, and the thread sees the value main wrote before
// signalling; the second signal wakes G.
#include "check.h"
#include <pthread.h>

static gort_mutex m;
static gort_cond c;
static gort_chan *running, *awake;
static int value;                        /* guarded by m */
static _Atomic int thread_saw = -1;

static void *thr(void *arg)
{
    (void)arg;
    CHECK_EQ_U64(gort_id(), 0);
    gort_mutex_lock(&m);
    gort_chan_send(running, NULL);
    while (value == 0)
        gort_cond_wait(&c, &m);
    atomic_store(&thread_saw, value);
    int who = 0;
    gort_chan_send(awake, &who);
    gort_mutex_unlock(&m);
    return NULL;
}

static void goroutine_waiter(void *arg)
{
    (void)arg;
    gort_mutex_lock(&m);
    gort_chan_send(running, NULL);
    gort_cond_wait(&c, &m);
    int who = 1;
    gort_chan_send(awake, &who);
    gort_mutex_unlock(&m);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    running = gort_chan_make(0, 0);
    awake = gort_chan_make(sizeof(int), 2);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, thr, NULL), 0);
    gort_chan_recv(running, NULL);
    gort_mutex_lock(&m);                   /* the thread is in gort_cond_wait */
    gort_mutex_unlock(&m);
    go(goroutine_waiter, NULL);
    gort_chan_recv(running, NULL);
    gort_mutex_lock(&m);                   /* so is G, after the thread */
    value = 42;
    gort_cond_signal(&c);
    gort_mutex_unlock(&m);

    int who = -1;
    CHECK(gort_chan_recv(awake, &who));
    CHECK_MSG(who == 0, "the first signal woke the goroutine, not the longest-waiting plain thread");
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    CHECK_EQ_INT(atomic_load(&thread_saw), 42);

    gort_mutex_lock(&m);
    gort_cond_signal(&c);
    gort_mutex_unlock(&m);
    CHECK(gort_chan_recv(awake, &who));
    CHECK_EQ_INT(who, 1);
    gort_chan_unref(running);
    gort_chan_unref(awake);
    return 0;
}

GORT_MAIN(main_fn)
