// gort_ctx_with_timeout(ns): live until ns have passed (err 0, done open),
// reports its deadline (between now + ns before and after the call), then
// done closes — no earlier than ns after the call — and err is
// GORT_DEADLINE_EXCEEDED; its descendants end with the same cause.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static int key;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int64_t t0 = gort_now();
    gort_ctx *c = gort_ctx_with_timeout(gort_ctx_background(), MS(50));
    int64_t t1 = gort_now();
    gort_ctx *kid = gort_ctx_with_cancel(c);
    gort_ctx *val = gort_ctx_with_value(kid, &key, NULL);
    int64_t d = 0;
    CHECK(gort_ctx_deadline(c, &d));
    CHECK_GE_INT(d, t0 + MS(50));
    CHECK_LE_INT(d, t1 + MS(50));
    CHECK_EQ_INT(gort_ctx_err(c), 0);
    CHECK(!gort_chan_try_recv(gort_ctx_done(c), NULL, NULL));

    CHECK(!gort_chan_recv(gort_ctx_done(val), NULL));
    int64_t t2 = gort_now();
    CHECK_MSG(t2 - t0 >= MS(50), "timeout of 50 ms ended after %lld us", (long long)((t2 - t0) / 1000));
    CHECK_GE_INT(t2, d);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_err(kid), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_err(val), GORT_DEADLINE_EXCEEDED);
    CHECK(!gort_chan_recv(gort_ctx_done(c), NULL));
    gort_ctx_unref(val);
    gort_ctx_unref(kid);
    gort_ctx_unref(c);

    /* 100 concurrent timeouts from 1 to 100 ms: each ends, none early */
    gort_ctx *cs[100];
    int64_t start = gort_now();
    for (int i = 0; i < 100; i++) cs[i] = gort_ctx_with_timeout(gort_ctx_background(), MS(1 + i));
    for (int i = 99; i >= 0; i--) {
        CHECK(!gort_chan_recv(gort_ctx_done(cs[i]), NULL));
        CHECK_GE_INT(gort_now() - start, MS(1 + i));
        CHECK_EQ_INT(gort_ctx_err(cs[i]), GORT_DEADLINE_EXCEEDED);
        gort_ctx_unref(cs[i]);
    }
    return 0;
}

GORT_MAIN(main_fn)
