// A program whose only goroutine waits on a timer channel is not
// deadlocked: the pending timer will feed it.  Main receives from
// gort_after(150 ms), then from a Timer's channel, then selects on a
// ticker's channel and a channel nobody uses; the program ends normally.
// gort-test: stdout=^timers delivered$
// gort-test: timeout=10
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *a = gort_after(MS(150));
    int64_t v;
    CHECK(gort_chan_recv(a, &v));
    gort_chan_unref(a);

    gort_timer *t = gort_timer_new(MS(100));
    CHECK(gort_chan_recv(gort_timer_chan(t), &v));
    gort_timer_reset(t, MS(100));        /* re-armed: pending again */
    CHECK(gort_chan_recv(gort_timer_chan(t), &v));
    gort_timer_free(t);

    gort_ticker *tk = gort_ticker_new(MS(100));
    gort_chan *never = gort_chan_make(0, 0);
    gort_case cs[2] = {
        { GORT_RECV, never, NULL, false },
        { GORT_RECV, gort_ticker_chan(tk), &v, false },
    };
    CHECK_EQ_INT(gort_select(cs, 2, true), 1);
    gort_ticker_free(tk);
    gort_chan_unref(never);
    printf("timers delivered\n");
    return 0;
}

GORT_MAIN(main_fn)
