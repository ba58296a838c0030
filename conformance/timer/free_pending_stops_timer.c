// gort_timer_free on a pending timer stops it first: a reference taken on
// its channel (the contract lets any holder take its own) sees no value,
// long after the timer's time.  Freeing many pending timers touches no
// freed memory when their time comes (checked by the ASan build).
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_timer *t = gort_timer_new(MS(10));
    gort_chan *c = gort_chan_ref(gort_timer_chan(t));
    gort_timer_free(t);
    gort_sleep(MS(40));
    int64_t v = 0;
    CHECK_MSG(!gort_chan_try_recv(c, &v, NULL), "freed timer delivered %lld", (long long)v);
    gort_chan_unref(c);

    for (int i = 0; i < 1000; i++) gort_timer_free(gort_timer_new(MS(1) + i * US(10)));
    /* freed right around the fire, too */
    for (int i = 0; i < 200; i++) {
        gort_timer *u = gort_timer_new(US(i % 50));
        if (i % 3 == 0) gort_yield();
        gort_timer_free(u);
    }
    gort_sleep(MS(30));
    return 0;
}

GORT_MAIN(main_fn)
