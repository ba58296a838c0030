// A receive case sets ok: true with a value (also a value still buffered in a
// closed channel), false with elem zero-filled once the channel is closed and
// drained; blocking and non-blocking.  A zero-size receive case with elem NULL
// works the same.
#include "check.h"

typedef struct { int64_t a, b; } pair;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(pair), 2);
    pair p = {7, 8};
    gort_chan_send(c, &p);
    gort_chan_close(c);
    for (int block = 0; block < 2; block++) {
        pair e;
        memset(&e, 0xFF, sizeof e);
        gort_case cs[1] = {{GORT_RECV, c, &e, false}};
        int idx = gort_select(cs, 1, block != 0);
        CHECK_EQ_INT(idx, 0);
        if (block == 0) {
            CHECK_MSG(cs[0].ok, "buffered value in a closed channel: ok false");
            CHECK(e.a == 7 && e.b == 8);
        } else {
            CHECK_MSG(!cs[0].ok, "closed and drained: ok true");
            CHECK(e.a == 0 && e.b == 0);
        }
    }
    for (int i = 0; i < 10; i++) {
        pair e = {1, 1};
        gort_case cs[1] = {{GORT_RECV, c, &e, true}};
        CHECK_EQ_INT(gort_select(cs, 1, i % 2 == 0), 0);
        CHECK(!cs[0].ok);
        CHECK(e.a == 0 && e.b == 0);
    }
    gort_chan_unref(c);

    gort_chan *s = gort_chan_make(0, 1);
    gort_chan_send(s, NULL);
    gort_case cs[1] = {{GORT_RECV, s, NULL, false}};
    CHECK_EQ_INT(gort_select(cs, 1, false), 0);
    CHECK(cs[0].ok);
    gort_chan_close(s);
    cs[0].ok = true;
    CHECK_EQ_INT(gort_select(cs, 1, true), 0);
    CHECK(!cs[0].ok);
    gort_chan_unref(s);
    return 0;
}

GORT_MAIN(main_fn)
