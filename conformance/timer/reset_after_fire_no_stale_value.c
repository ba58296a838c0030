// Go 1.23: resetting a timer that fired but whose value was never received
// discards that value: right after the reset nothing can be received, and
// the only value that arrives is the new one, at the new time.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < 5; i++) {
        gort_timer *t = gort_timer_new(MS(1));
        gort_chan *c = gort_timer_chan(t);
        gort_sleep(MS(20));                    /* fired, not received */
        int64_t t0 = gort_now();
        gort_timer_reset(t, MS(40));
        int64_t v = 0;
        CHECK_MSG(!gort_chan_try_recv(c, &v, NULL), "stale value from %lld ns before the reset",
                  (long long)(t0 - v));
        CHECK(gort_chan_recv(c, &v));
        int64_t t1 = gort_now();
        CHECK_MSG(v >= t0 + MS(40), "received a value from %lld ns after the reset (new time 40 ms)",
                  (long long)(v - t0));
        CHECK_GE_INT(t1 - t0, MS(40));
        if (i == 0) {
            gort_sleep(MS(50));
            CHECK(!gort_chan_try_recv(c, &v, NULL));
        }
        gort_timer_free(t);
    }
    return 0;
}

GORT_MAIN(main_fn)
