// gort_select picks the one ready case among send and receive cases, performs
// it and returns its index: for each position of the ready case among 4
// (the others: receive from an empty channel, send to a full one, receive
// from an unbuffered one with no sender), blocking and non-blocking, the
// value moves (sent value lands in the channel, received value lands in
// elem with ok true) and no other case is performed.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *empty = gort_chan_make(sizeof(int64_t), 2);
    gort_chan *full = gort_chan_make(sizeof(int64_t), 1);
    gort_chan *unbuf = gort_chan_make(sizeof(int64_t), 0);
    int64_t f = 555;
    gort_chan_send(full, &f);

    for (int block = 0; block < 2; block++) {
        for (int ready = 0; ready < 4; ready++) {
            for (int kind = 0; kind < 2; kind++) {       /* 0: ready recv, 1: ready send */
                gort_chan *rc = gort_chan_make(sizeof(int64_t), 1);
                int64_t ready_val = 1000 + ready * 10 + kind;
                if (kind == 0) gort_chan_send(rc, &ready_val);
                int64_t e[4] = {-1, -1, -1, -1};
                int64_t send_full = 1, send_ready = ready_val;
                gort_case cs[4];
                int others = 0;
                for (int i = 0; i < 4; i++) {
                    if (i == ready) {
                        cs[i] = kind == 0 ? (gort_case){GORT_RECV, rc, &e[i], false}
                                          : (gort_case){GORT_SEND, rc, &send_ready, false};
                        continue;
                    }
                    switch (others++) {
                    case 0: cs[i] = (gort_case){GORT_RECV, empty, &e[i], false}; break;
                    case 1: cs[i] = (gort_case){GORT_SEND, full, &send_full, false}; break;
                    default: cs[i] = (gort_case){GORT_RECV, unbuf, &e[i], false}; break;
                    }
                }
                int idx = gort_select(cs, 4, block != 0);
                CHECK_MSG(idx == ready, "block %d kind %d: selected %d, ready case is %d", block, kind, idx, ready);
                if (kind == 0) {
                    CHECK_EQ_INT(e[ready], ready_val);
                    CHECK(cs[ready].ok);
                    CHECK_EQ_INT(gort_chan_len(rc), 0);
                } else {
                    CHECK_EQ_INT(gort_chan_len(rc), 1);
                    int64_t got = 0;
                    CHECK(gort_chan_recv(rc, &got));
                    CHECK_EQ_INT(got, ready_val);
                }
                CHECK_EQ_INT(gort_chan_len(empty), 0);
                CHECK_EQ_INT(gort_chan_len(full), 1);
                gort_chan_unref(rc);
            }
        }
    }
    int64_t g = 0;
    CHECK(gort_chan_recv(full, &g));
    CHECK_EQ_INT(g, 555);                        /* the full channel's value was never replaced */
    gort_chan_unref(empty);
    gort_chan_unref(full);
    gort_chan_unref(unbuf);
    return 0;
}

GORT_MAIN(main_fn)
