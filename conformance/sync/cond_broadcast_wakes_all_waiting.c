// gort_cond_broadcast wakes every waiting goroutine, each exactly once (Go's
// TestCondBroadcast): 100 goroutines loop waiting on one cond; 100 rounds,
// each waits until all 100 are waiting, checks none is awake, broadcasts,
// and then receives exactly one wake-up from each of the 100 (a goroutine
// woken twice in a round fails); in the last round they leave their loop,
// and none waits again.
#include "check.h"

#define N 100

static gort_mutex m;
static gort_cond c;
static gort_chan *running, *awake;
static bool exit_flag;                   /* guarded by m */

static void waiter(void *arg)
{
    int g = (int)(intptr_t)arg;
    gort_mutex_lock(&m);
    while (!exit_flag) {
        gort_chan_send(running, &g);
        gort_cond_wait(&c, &m);
        gort_chan_send(awake, &g);
    }
    gort_mutex_unlock(&m);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    running = gort_chan_make(sizeof(int), N);
    awake = gort_chan_make(sizeof(int), N);
    for (int i = 0; i < N; i++) go(waiter, (void *)(intptr_t)i);
    for (int round = 0; round < N; round++) {
        for (int i = 0; i < N; i++) {
            int g;
            CHECK(gort_chan_recv(running, &g));  /* hangs unless all N are waiting again */
        }
        if (round == N - 1) {
            gort_mutex_lock(&m);
            exit_flag = true;
            gort_mutex_unlock(&m);
        }
        bool ok = false;
        CHECK_MSG(!gort_chan_try_recv(awake, NULL, &ok), "round %d: a goroutine is not asleep", round);
        gort_mutex_lock(&m);
        gort_cond_broadcast(&c);
        gort_mutex_unlock(&m);
        bool seen[N] = { false };
        for (int i = 0; i < N; i++) {
            int g = -1;
            CHECK(gort_chan_recv(awake, &g));
            CHECK(g >= 0 && g < N);
            CHECK_MSG(!seen[g], "round %d: goroutine %d woke up twice", round, g);
            seen[g] = true;
        }
    }
    CHECK_MSG(wait_num_goroutine_at_most(1, MS(5000)) == 1, "%d goroutines left after the last round",
              gort_num_goroutine());
    bool ok = false;
    CHECK_MSG(!gort_chan_try_recv(running, NULL, &ok), "a goroutine did not exit");
    gort_cond_broadcast(&c);
    gort_chan_unref(running);
    gort_chan_unref(awake);
    return 0;
}

GORT_MAIN(main_fn)
