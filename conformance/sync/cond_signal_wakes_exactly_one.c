// gort_cond_signal wakes exactly one waiter (Go's TestCondSignal): three
// goroutines wait on one cond; before each signal none of them is awake;
// each signal (made holding the mutex) wakes one — one `awake` arrives, and
// no second one follows within 20 ms — until all have been woken one by one;
// a last signal with nobody waiting does nothing.
#include "check.h"

#define N 3

static gort_mutex m;
static gort_cond c;
static gort_chan *running, *awake;

static void waiter(void *arg)
{
    (void)arg;
    gort_mutex_lock(&m);
    gort_chan_send(running, NULL);
    gort_cond_wait(&c, &m);
    gort_chan_send(awake, NULL);
    gort_mutex_unlock(&m);
}

static bool try_take(gort_chan *ch)
{
    bool ok = false;
    return gort_chan_try_recv(ch, NULL, &ok);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    running = gort_chan_make(0, N);
    awake = gort_chan_make(0, N);
    for (int i = 0; i < N; i++) go(waiter, NULL);
    for (int i = 0; i < N; i++) gort_chan_recv(running, NULL);   /* everyone holds m, then waits */
    for (int n = N; n > 0; n--) {
        gort_sleep(MS(10));
        CHECK_MSG(!try_take(awake), "a goroutine woke before signal %d", N - n + 1);
        gort_mutex_lock(&m);
        gort_cond_signal(&c);
        gort_mutex_unlock(&m);
        gort_chan_recv(awake, NULL);          /* hangs (test timeout) if nobody woke */
        gort_sleep(MS(20));
        CHECK_MSG(!try_take(awake), "signal %d woke more than one goroutine", N - n + 1);
    }
    gort_cond_signal(&c);
    gort_chan_unref(running);
    gort_chan_unref(awake);
    return 0;
}

GORT_MAIN(main_fn)
