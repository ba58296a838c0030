// Randomness also holds when a blocked select has several cases waiting on
// one channel: a goroutine selects on two receive cases of the same
// unbuffered channel and blocks (GOMAXPROCS=1: it parks before main runs
// again); main sends one value with gort_chan_try_send, which succeeds only
// because the select is parked on the channel (so every trial takes the
// blocked path, not the choice among ready cases); over 2,000 trials each
// case index completes 40-60% of the time, so which one wins is not decided
// by case order.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

#define T 2000

static gort_chan *c, *ack;
static gort_waitgroup wg;

static void selecter(void *arg)
{
    (void)arg;
    for (int t = 0; t < T; t++) {
        int64_t e0 = -1, e1 = -1;
        gort_case cs[2] = {{GORT_RECV, c, &e0, false}, {GORT_RECV, c, &e1, false}};
        int idx = gort_select(cs, 2, true);
        CHECK(idx == 0 || idx == 1);
        CHECK_EQ_INT(idx == 0 ? e0 : e1, t);
        CHECK_EQ_INT(idx == 0 ? e1 : e0, -1);
        gort_chan_send(ack, &idx);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    c = gort_chan_make(sizeof(int64_t), 0);
    ack = gort_chan_make(sizeof(int), 0);
    gort_wg_add(&wg, 1);
    go(selecter, NULL);
    long hits[2] = {0, 0};
    for (int64_t t = 0; t < T; t++) {
        gort_yield();                 /* the selecter runs and parks in its select */
        CHECK_MSG(gort_chan_try_send(c, &t), "trial %lld: the selecter was not parked in its select", (long long)t);
        int idx = -1;
        CHECK(gort_chan_recv(ack, &idx));
        hits[idx]++;
    }
    gort_wg_wait(&wg);
    for (int k = 0; k < 2; k++)
        CHECK_MSG(hits[k] >= T * 40 / 100 && hits[k] <= T * 60 / 100, "case %d won %ld of %d times", k, hits[k], T);
    gort_chan_unref(c);
    gort_chan_unref(ack);
    return 0;
}

GORT_MAIN(main_fn)
