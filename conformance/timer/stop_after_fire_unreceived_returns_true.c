// Go 1.23: a timer that fired but whose value was never received counts as
// prevented: gort_timer_stop returns true and the value is gone (try_recv
// would block, now and later).
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < 10; i++) {
        gort_timer *t = gort_timer_new(MS(1));
        gort_chan *c = gort_timer_chan(t);
        gort_sleep(MS(20));                     /* it has fired, nobody received */
        CHECK_MSG(gort_timer_stop(t), "stop after an unreceived fire returned false (round %d)", i);
        int64_t v = 0;
        CHECK_MSG(!gort_chan_try_recv(c, &v, NULL), "stale value %lld after stop", (long long)v);
        CHECK_EQ_INT(gort_chan_len(c), 0);
        if (i == 0) {
            gort_sleep(MS(20));
            CHECK(!gort_chan_try_recv(c, &v, NULL));
        }
        CHECK(!gort_timer_stop(t));
        gort_timer_free(t);
    }
    return 0;
}

GORT_MAIN(main_fn)
