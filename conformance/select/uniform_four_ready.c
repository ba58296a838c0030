// Uniform choice among 4 ready cases (two receives from channels that always
// hold a value, two sends to channels that always have room, in mixed
// order): over 100,000 selects each is chosen 22-28% of the time.  A fifth,
// never-ready case (NULL channel) is never chosen.
#include "check.h"

#define N 100000

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *r0 = gort_chan_make(sizeof(int), 1), *r1 = gort_chan_make(sizeof(int), 1);
    gort_chan *s0 = gort_chan_make(sizeof(int), 1), *s1 = gort_chan_make(sizeof(int), 1);
    int one = 1, e = 0, x;
    gort_chan_send(r0, &one);
    gort_chan_send(r1, &one);
    gort_case cs[5] = {
        {GORT_RECV, r0, &e, false},
        {GORT_SEND, s0, &one, false},
        {GORT_RECV, NULL, &e, false},
        {GORT_RECV, r1, &e, false},
        {GORT_SEND, s1, &one, false},
    };
    long hits[5] = {0};
    for (int i = 0; i < N; i++) {
        int idx = gort_select(cs, 5, i % 2 == 0);
        CHECK(idx >= 0 && idx < 5);
        hits[idx]++;
        if (cs[idx].dir == GORT_RECV) gort_chan_send(cs[idx].ch, &one);
        else CHECK(gort_chan_recv(cs[idx].ch, &x));
    }
    CHECK_EQ_INT(hits[2], 0);
    for (int k = 0; k < 5; k++) {
        if (k == 2) continue;
        CHECK_MSG(hits[k] >= N * 22 / 100 && hits[k] <= N * 28 / 100, "case %d chosen %ld of %d times", k,
                  hits[k], N);
    }
    gort_chan_unref(r0);
    gort_chan_unref(r1);
    gort_chan_unref(s0);
    gort_chan_unref(s1);
    return 0;
}

GORT_MAIN(main_fn)
