// gort_timer_stop on a timer that has not fired returns true, and no value
// is ever received afterwards (checked with try_recv long after the
// original time); a second stop returns false (nothing left to prevent).
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < 20; i++) {
        gort_timer *t = gort_timer_new(MS(20));
        gort_chan *c = gort_timer_chan(t);
        int64_t t0 = gort_now();
        bool stopped = gort_timer_stop(t);
        if (gort_now() - t0 >= MS(20)) { gort_timer_free(t); continue; }   /* descheduled that long: no verdict */
        CHECK_MSG(stopped, "stop before the fire returned false (round %d)", i);
        CHECK(!gort_timer_stop(t));
        if (i < 3) {
            gort_sleep(MS(40));
            int64_t v = 0;
            CHECK_MSG(!gort_chan_try_recv(c, &v, NULL), "stopped timer delivered %lld", (long long)v);
        }
        gort_timer_free(t);
    }
    return 0;
}

GORT_MAIN(main_fn)
