// A signal belongs to the waiters there when it is made (Go's
// TestCondSignalGenerations): round i starts waiter i, then takes the
// wake-up of the signal made in round i-1 — which must be waiter i-1's,
// even when waiter i has started waiting by then — and then signals for
// waiter i; 100 rounds.
#include "check.h"

#define N 100

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
    running = gort_chan_make(0, N);
    awake = gort_chan_make(sizeof(int), N);
    for (int i = 0; i < N; i++) {
        go(waiter, (void *)(intptr_t)i);
        if (i > 0) {
            int a = -1;
            CHECK(gort_chan_recv(awake, &a));
            CHECK_MSG(a == i - 1, "wrong goroutine woke up: want %d, got %d", i - 1, a);
        }
        gort_chan_recv(running, NULL);
        gort_mutex_lock(&m);
        gort_cond_signal(&c);
        gort_mutex_unlock(&m);
    }
    int a = -1;
    CHECK(gort_chan_recv(awake, &a));
    CHECK_EQ_INT(a, N - 1);
    gort_chan_unref(running);
    gort_chan_unref(awake);
    return 0;
}

GORT_MAIN(main_fn)
