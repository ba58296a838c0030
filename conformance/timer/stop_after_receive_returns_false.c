// gort_timer_stop after the value was received prevented nothing and
// returns false.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < 10; i++) {
        gort_timer *t = gort_timer_new(i % 2 ? 0 : MS(2));
        int64_t v = 0;
        CHECK(gort_chan_recv(gort_timer_chan(t), &v));
        CHECK_MSG(!gort_timer_stop(t), "stop after the receive returned true (round %d)", i);
        CHECK(!gort_chan_try_recv(gort_timer_chan(t), &v, NULL));
        gort_timer_free(t);
    }
    return 0;
}

GORT_MAIN(main_fn)
