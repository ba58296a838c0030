// gort_ticker_free stops the ticker: a reference taken on its channel (the
// contract lets any holder take its own) receives nothing afterwards, over
// many periods.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ticker *tk = gort_ticker_new(MS(2));
    gort_chan *c = gort_chan_ref(gort_ticker_chan(tk));
    int64_t v;
    CHECK(gort_chan_recv(c, &v));        /* it ticks */
    gort_ticker_free(tk);
    int64_t t_free = gort_now();
    gort_sleep(MS(30));
    int n = 0;
    while (gort_chan_try_recv(c, &v, NULL)) {
        CHECK_MSG(v <= t_free, "tick at %lld ns after the free", (long long)(v - t_free));
        n++;
    }
    CHECK_LE_INT(n, 0);
    gort_chan_unref(c);
    /* free right after creation, many times */
    for (int i = 0; i < 500; i++) gort_ticker_free(gort_ticker_new(US(1 + i)));
    gort_sleep(MS(10));
    return 0;
}

GORT_MAIN(main_fn)
