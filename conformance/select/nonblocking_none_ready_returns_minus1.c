// With block false and no case ready (receive from an empty buffered channel
// and from an unbuffered one with no sender, send to a full buffered one and
// to an unbuffered one with no receiver, NULL channels) gort_select returns
// -1 at once and performs nothing; as soon as one case becomes ready it is
// chosen.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *empty = gort_chan_make(sizeof(int64_t), 3);
    gort_chan *full = gort_chan_make(sizeof(int64_t), 1);
    gort_chan *unbuf = gort_chan_make(sizeof(int64_t), 0);
    int64_t x = 9;
    gort_chan_send(full, &x);
    int64_t e0 = -1, e1 = -1, e5 = -1, s = 1;
    gort_case cs[6] = {
        {GORT_RECV, empty, &e0, false},
        {GORT_RECV, unbuf, &e1, false},
        {GORT_SEND, full, &s, false},
        {GORT_SEND, unbuf, &s, false},
        {GORT_SEND, NULL, &s, false},
        {GORT_RECV, NULL, &e5, false},
    };
    int64_t t0 = now_ns();
    for (int i = 0; i < 1000; i++) CHECK_EQ_INT(gort_select(cs, 6, false), -1);
    int64_t dt = now_ns() - t0;
    CHECK_MSG(dt < 2000000000LL, "1000 non-blocking selects took %lld ns", (long long)dt);
    CHECK_EQ_INT(gort_chan_len(empty), 0);
    CHECK_EQ_INT(gort_chan_len(full), 1);
    CHECK_EQ_INT(e0, -1);
    CHECK_EQ_INT(e1, -1);
    CHECK_EQ_INT(e5, -1);

    x = 3;
    gort_chan_send(empty, &x);
    CHECK_EQ_INT(gort_select(cs, 6, false), 0);
    CHECK_EQ_INT(e0, 3);
    CHECK_EQ_INT(gort_select(cs, 6, false), -1);

    gort_chan_unref(empty);
    gort_chan_unref(full);
    gort_chan_unref(unbuf);
    return 0;
}

GORT_MAIN(main_fn)
