// The same channel may appear in several cases: three receive cases on one
// channel holding one value perform exactly one receive; send and receive
// cases on the same buffered channel pick whichever can proceed; a blocked
// select with a send and a receive case on one unbuffered channel does not
// pair with itself, and a partner completes exactly one of them.
#include "check.h"

static gort_chan *u;
static int sel_idx = -2;
static int64_t sel_recv = -1;
static gort_waitgroup wg;

static void self_pair(void *arg)
{
    (void)arg;
    int64_t s = 11, r = -1;
    gort_case cs[2] = {{GORT_SEND, u, &s, false}, {GORT_RECV, u, &r, false}};
    sel_idx = gort_select(cs, 2, true);
    sel_recv = r;
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(int64_t), 4);
    int hits[3] = {0, 0, 0};
    for (int i = 0; i < 300; i++) {
        int64_t v = i, e[3] = {-1, -1, -1};
        gort_chan_send(c, &v);
        gort_case cs[3] = {{GORT_RECV, c, &e[0], false}, {GORT_RECV, c, &e[1], false}, {GORT_RECV, c, &e[2], false}};
        int idx = gort_select(cs, 3, i % 2 == 0);
        CHECK(idx >= 0 && idx < 3);
        hits[idx]++;
        CHECK_EQ_INT(e[idx], i);
        for (int k = 0; k < 3; k++) if (k != idx) CHECK_EQ_INT(e[k], -1);
        CHECK_EQ_INT(gort_chan_len(c), 0);
    }
    for (int k = 0; k < 3; k++) CHECK_MSG(hits[k] > 0, "case %d never chosen in 300 tries", k);
    gort_chan_unref(c);

    /* send and receive on one cap-1 channel */
    c = gort_chan_make(sizeof(int64_t), 1);
    for (int i = 0; i < 100; i++) {
        int64_t s = i, r = -1;
        gort_case cs[2] = {{GORT_SEND, c, &s, false}, {GORT_RECV, c, &r, false}};
        CHECK_EQ_INT(gort_select(cs, 2, true), 0);     /* empty: only the send can go */
        CHECK_EQ_INT(gort_chan_len(c), 1);
        CHECK_EQ_INT(gort_select(cs, 2, true), 1);     /* full: only the receive can go */
        CHECK_EQ_INT(r, i);
        CHECK_EQ_INT(gort_chan_len(c), 0);
    }
    gort_chan_unref(c);

    /* unbuffered, send and receive cases on one channel: blocks, no self-pairing */
    u = gort_chan_make(sizeof(int64_t), 0);
    for (int round = 0; round < 2; round++) {
        sel_idx = -2;
        gort_wg_add(&wg, 1);
        go(self_pair, NULL);
        gort_sleep(MS(20));
        CHECK_MSG(sel_idx == -2, "select with send+recv on one unbuffered channel paired with itself (%d)", sel_idx);
        if (round == 0) {
            int64_t v = -1;
            CHECK(gort_chan_recv(u, &v));
            gort_wg_wait(&wg);
            CHECK_EQ_INT(sel_idx, 0);
            CHECK_EQ_INT(v, 11);
        } else {
            int64_t v = 22;
            gort_chan_send(u, &v);
            gort_wg_wait(&wg);
            CHECK_EQ_INT(sel_idx, 1);
            CHECK_EQ_INT(sel_recv, 22);
        }
    }
    gort_chan_unref(u);
    return 0;
}

GORT_MAIN(main_fn)
