// The caller may drop the channel from gort_after before it fires: the
// runtime keeps its own reference until then, so the firing touches no freed
// memory (the suite's ASan build checks that, and that nothing leaks).  1,000
// channels of 1..20 ms are dropped at once; a later gort_after still works.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    uint64_t r = 7;
    for (int i = 0; i < 1000; i++) {
        gort_chan *c = gort_after(MS(1) + (int64_t)(rand_next(&r) % MS(19)));
        CHECK(c != NULL);
        gort_chan_unref(c);
    }
    /* some dropped right after firing, too */
    for (int i = 0; i < 100; i++) {
        gort_chan *c = gort_after(i);
        if (i % 2) gort_sleep(US(50));
        gort_chan_unref(c);
    }
    gort_sleep(MS(60));     /* all of them have fired meanwhile */
    int64_t t0 = gort_now();
    gort_chan *c = gort_after(MS(5));
    int64_t v = 0;
    CHECK(gort_chan_recv(c, &v));
    CHECK_GE_INT(v, t0 + MS(5));
    gort_chan_unref(c);
    return 0;
}

GORT_MAIN(main_fn)
