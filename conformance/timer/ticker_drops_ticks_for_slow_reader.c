// A ticker drops ticks for a slow reader instead of queueing them: after 10
// periods without reading, at most one value is waiting (len <= 1, and
// try_recv gets at most one), and ticking goes on afterwards.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ticker *tk = gort_ticker_new(MS(5));
    gort_chan *c = gort_ticker_chan(tk);
    for (int round = 0; round < 3; round++) {
        gort_sleep(MS(50));
        CHECK_LE_INT(gort_chan_len(c), 1);
        int got = 0;
        int64_t v;
        while (gort_chan_try_recv(c, &v, NULL)) got++;
        CHECK_MSG(got <= 1, "%d ticks buffered after 10 periods unread", got);
    }
    int64_t t0 = gort_now(), v = 0;
    CHECK(gort_chan_recv(c, &v));       /* still ticking */
    CHECK_GE_INT(v, t0);
    gort_ticker_free(tk);
    return 0;
}

GORT_MAIN(main_fn)
