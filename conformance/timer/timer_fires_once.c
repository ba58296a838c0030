// gort_timer_new(ns) fires once: one value, gort_now() at the fire, never
// before ns; nothing after it, even long past a second period.  Then
// gort_timer_free.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int64_t t0 = gort_now();
    gort_timer *t = gort_timer_new(MS(10));
    CHECK(t != NULL);
    gort_chan *c = gort_timer_chan(t);
    CHECK(c != NULL);
    CHECK(gort_timer_chan(t) == c);        /* the same channel every time */
    int64_t v = 0;
    CHECK(gort_chan_recv(c, &v));
    int64_t t1 = gort_now();
    CHECK_GE_INT(t1 - t0, MS(10));
    CHECK_GE_INT(v, t0 + MS(10));
    CHECK_LE_INT(v, t1);
    gort_sleep(MS(50));
    CHECK_MSG(!gort_chan_try_recv(c, &v, NULL), "second value %lld ns after the first", (long long)(v - t1));
    gort_timer_free(t);
    return 0;
}

GORT_MAIN(main_fn)
