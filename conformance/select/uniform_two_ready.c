// Among several ready cases gort_select picks uniformly at random: two
// receive cases on channels that always hold a value (refilled after each
// pick), 100,000 selects: each case is chosen 45-55% of the time.  Also for
// two ready send cases.
#include "check.h"

#define N 100000

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *a = gort_chan_make(sizeof(int), 1), *b = gort_chan_make(sizeof(int), 1);
    int one = 1, e = 0;
    gort_chan_send(a, &one);
    gort_chan_send(b, &one);
    gort_case cs[2] = {{GORT_RECV, a, &e, false}, {GORT_RECV, b, &e, false}};
    long hits[2] = {0, 0};
    for (int i = 0; i < N; i++) {
        int idx = gort_select(cs, 2, i % 2 == 0);
        CHECK(idx == 0 || idx == 1);
        hits[idx]++;
        gort_chan_send(cs[idx].ch, &one);
    }
    for (int k = 0; k < 2; k++)
        CHECK_MSG(hits[k] >= N * 45 / 100 && hits[k] <= N * 55 / 100, "recv case %d chosen %ld of %d times", k,
                  hits[k], N);

    /* send cases: both channels empty, drained after each pick */
    int x;
    CHECK(gort_chan_recv(a, &x));
    CHECK(gort_chan_recv(b, &x));
    gort_case ss[2] = {{GORT_SEND, a, &one, false}, {GORT_SEND, b, &one, false}};
    hits[0] = hits[1] = 0;
    for (int i = 0; i < N; i++) {
        int idx = gort_select(ss, 2, i % 2 == 1);
        CHECK(idx == 0 || idx == 1);
        hits[idx]++;
        CHECK(gort_chan_recv(ss[idx].ch, &x));
    }
    for (int k = 0; k < 2; k++)
        CHECK_MSG(hits[k] >= N * 45 / 100 && hits[k] <= N * 55 / 100, "send case %d chosen %ld of %d times", k,
                  hits[k], N);
    gort_chan_unref(a);
    gort_chan_unref(b);
    return 0;
}

GORT_MAIN(main_fn)
