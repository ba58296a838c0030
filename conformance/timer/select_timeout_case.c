// Timer channels work in gort_select: the timeout pattern (select over a
// channel that never becomes ready and gort_after(20 ms)) returns the timer
// case, no earlier than 20 ms, with the fire time as its value; the same with
// a Timer's channel and a ticker's.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *never = gort_chan_make(sizeof(int), 0);
    int x = 0;
    for (int i = 0; i < 5; i++) {
        int64_t t0 = gort_now();
        gort_chan *to = gort_after(MS(20));
        int64_t v = 0;
        gort_case cs[2] = {
            { GORT_RECV, never, &x, false },
            { GORT_RECV, to, &v, false },
        };
        int r = gort_select(cs, 2, true);
        int64_t t1 = gort_now();
        CHECK_EQ_INT(r, 1);
        CHECK(cs[1].ok);
        CHECK_MSG(t1 - t0 >= MS(20), "timeout case after %lld us", (long long)((t1 - t0) / 1000));
        CHECK_GE_INT(v, t0 + MS(20));
        CHECK_LE_INT(v, t1);
        gort_chan_unref(to);
    }

    int64_t t0 = gort_now(), v = 0;   /* before the timer is made: it fires 10 ms after */
    gort_timer *t = gort_timer_new(MS(10));
    gort_case cs[3] = {
        { GORT_RECV, NULL, NULL, false },
        { GORT_RECV, gort_timer_chan(t), &v, false },
        { GORT_RECV, never, &x, false },
    };
    CHECK_EQ_INT(gort_select(cs, 3, true), 1);
    CHECK_GE_INT(gort_now() - t0, MS(10));
    gort_timer_free(t);

    t0 = gort_now();
    gort_ticker *tk = gort_ticker_new(MS(3));
    for (int k = 1; k <= 3; k++) {
        gort_case ct[2] = {
            { GORT_RECV, never, &x, false },
            { GORT_RECV, gort_ticker_chan(tk), &v, false },
        };
        CHECK_EQ_INT(gort_select(ct, 2, true), 1);
    }
    CHECK_GE_INT(gort_now() - t0, MS(9));
    gort_ticker_free(tk);
    gort_chan_unref(never);
    return 0;
}

GORT_MAIN(main_fn)
