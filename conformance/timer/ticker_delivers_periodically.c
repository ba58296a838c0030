// A ticker delivers every period: 20 ticks at 5 ms take at least 95 ms, the
// k-th value received is never earlier than k periods after the start, and
// values increase.  gort_ticker_free then stops it.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int64_t t0 = gort_now();
    gort_ticker *tk = gort_ticker_new(MS(5));
    CHECK(tk != NULL);
    gort_chan *c = gort_ticker_chan(tk);
    CHECK(c != NULL);
    int64_t prev = 0;
    for (int k = 1; k <= 20; k++) {
        int64_t v = 0;
        CHECK(gort_chan_recv(c, &v));
        CHECK_MSG(v >= t0 + k * MS(5), "tick %d at %lld ns after the start", k, (long long)(v - t0));
        CHECK_MSG(v > prev, "tick %d value %lld not after %lld", k, (long long)v, (long long)prev);
        CHECK_LE_INT(v, gort_now());
        prev = v;
    }
    int64_t el = gort_now() - t0;
    CHECK_MSG(el >= MS(95), "20 ticks of 5 ms in %lld us", (long long)(el / 1000));
    CHECK_MSG(el < MS(5000), "20 ticks of 5 ms took %lld ms", (long long)(el / 1000000));
    gort_ticker_free(tk);
    return 0;
}

GORT_MAIN(main_fn)
