// gort_timer_reset on a timer that has not fired moves its time, later and
// earlier: the one value arrives no earlier than the new time after the
// reset (not at the old time), and only once.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int64_t v = 0;

    /* later: 20 ms -> 80 ms */
    gort_timer *t = gort_timer_new(MS(20));
    gort_chan *c = gort_timer_chan(t);
    int64_t t0 = gort_now();
    gort_timer_reset(t, MS(80));
    gort_sleep(MS(40));          /* past the old time */
    CHECK_MSG(!gort_chan_try_recv(c, &v, NULL), "value at the old time, %lld ns after the reset",
              (long long)(v - t0));
    CHECK(gort_chan_recv(c, &v));
    int64_t t1 = gort_now();
    CHECK_MSG(v >= t0 + MS(80), "fired %lld ns after a reset to 80 ms", (long long)(v - t0));
    CHECK_GE_INT(t1 - t0, MS(80));
    gort_sleep(MS(30));
    CHECK(!gort_chan_try_recv(c, &v, NULL));
    gort_timer_free(t);

    /* earlier: 10 s -> 10 ms */
    t = gort_timer_new(MS(10000));
    c = gort_timer_chan(t);
    t0 = gort_now();
    gort_timer_reset(t, MS(10));
    CHECK(gort_chan_recv(c, &v));
    t1 = gort_now();
    CHECK_GE_INT(v, t0 + MS(10));
    CHECK_MSG(t1 - t0 < MS(5000), "reset to 10 ms took %lld ms", (long long)((t1 - t0) / 1000000));
    gort_sleep(MS(20));
    CHECK(!gort_chan_try_recv(c, &v, NULL));
    gort_timer_free(t);
    return 0;
}

GORT_MAIN(main_fn)
