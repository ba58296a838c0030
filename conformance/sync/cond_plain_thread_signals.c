// A plain pthread may signal and broadcast a cond that goroutines wait on:
// four goroutines wait (in a loop on `stage`); the thread sets stage 1 and
// signals once — one goroutine proceeds, seeing stage 1, and no other
// within 50 ms; the thread sets stage 2 and broadcasts — the other three
// proceed, seeing stage 2.
#include "check.h"
#include <pthread.h>

#define N 4

static gort_mutex m;
static gort_cond c;
static int stage;                        /* guarded by m */
static int taken;                        /* guarded by m: stage-1 tickets taken */
static gort_chan *running, *awake, *go_thread;

static void waiter(void *arg)
{
    (void)arg;
    gort_mutex_lock(&m);
    gort_chan_send(running, NULL);
    for (;;) {
        gort_cond_wait(&c, &m);
        if (stage == 1 && taken == 0) { taken = 1; break; }
        if (stage == 2) break;
    }
    int s = stage;
    gort_chan_send(awake, &s);
    gort_mutex_unlock(&m);
}

static void *thr(void *arg)
{
    (void)arg;
    CHECK_EQ_U64(gort_id(), 0);
    gort_chan_recv(go_thread, NULL);
    gort_mutex_lock(&m);
    stage = 1;
    gort_cond_signal(&c);
    gort_mutex_unlock(&m);
    gort_chan_recv(go_thread, NULL);
    gort_mutex_lock(&m);
    stage = 2;
    gort_cond_broadcast(&c);
    gort_mutex_unlock(&m);
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    running = gort_chan_make(0, N);
    awake = gort_chan_make(sizeof(int), N);
    go_thread = gort_chan_make(0, 0);
    for (int i = 0; i < N; i++) go(waiter, NULL);
    for (int i = 0; i < N; i++) gort_chan_recv(running, NULL);
    gort_mutex_lock(&m);                   /* all are in gort_cond_wait */
    gort_mutex_unlock(&m);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, thr, NULL), 0);

    gort_chan_send(go_thread, NULL);       /* signal */
    int s = -1;
    CHECK(gort_chan_recv(awake, &s));
    CHECK_EQ_INT(s, 1);
    gort_sleep(MS(50));
    CHECK_EQ_INT(gort_chan_len(awake), 0);

    gort_chan_send(go_thread, NULL);       /* broadcast */
    for (int i = 1; i < N; i++) {
        CHECK(gort_chan_recv(awake, &s));
        CHECK_EQ_INT(s, 2);
    }
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    gort_chan_unref(running);
    gort_chan_unref(awake);
    gort_chan_unref(go_thread);
    return 0;
}

GORT_MAIN(main_fn)
