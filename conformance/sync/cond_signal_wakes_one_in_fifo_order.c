// gort_cond_signal wakes the longest-waiting goroutine: eight goroutines
// start waiting one after another (each is inside gort_cond_wait before the
// next can lock the mutex), then eight signals wake them in exactly the
// order they started waiting: 0, 1, ..., 7.
#include "check.h"

#define N 8

static gort_mutex m;
static gort_cond c;
static gort_chan *running, *awake;

static void waiter(void *arg)
{
    int id = (int)(intptr_t)arg;
    gort_mutex_lock(&m);
    gort_chan_send(running, NULL);
    gort_cond_wait(&c, &m);
    gort_chan_send(awake, &id);
    gort_mutex_unlock(&m);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    running = gort_chan_make(0, 0);
    awake = gort_chan_make(sizeof(int), N);
    for (int i = 0; i < N; i++) {
        go(waiter, (void *)(intptr_t)i);
        gort_chan_recv(running, NULL);     /* waiter i holds m ... */
        gort_mutex_lock(&m);               /* ... and has released it in gort_cond_wait */
        gort_mutex_unlock(&m);
    }
    gort_sleep(MS(10));                    /* time for all of them to park */
    for (int i = 0; i < N; i++) {
        gort_mutex_lock(&m);
        gort_cond_signal(&c);
        gort_mutex_unlock(&m);
        int got = -1;
        CHECK(gort_chan_recv(awake, &got));
        CHECK_MSG(got == i, "signal %d woke waiter %d, want the longest-waiting one, %d", i, got, i);
    }
    gort_chan_unref(running);
    gort_chan_unref(awake);
    return 0;
}

GORT_MAIN(main_fn)
