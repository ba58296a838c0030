// A child's deadline is never later than its parent's: asking for a later
// one (timeout or deadline) yields the parent's; an earlier one is kept; a
// cancel or value child reports the parent's.  A child with a later request
// ends when the parent's deadline passes, with GORT_DEADLINE_EXCEEDED; one
// with an earlier deadline ends first, on its own, leaving the parent live.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static int key;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *p = gort_ctx_with_timeout(gort_ctx_background(), MS(80));
    int64_t pd = 0, d = 0;
    CHECK(gort_ctx_deadline(p, &pd));

    gort_ctx *later_t = gort_ctx_with_timeout(p, MS(60000));
    gort_ctx *later_d = gort_ctx_with_deadline(p, pd + 1);
    gort_ctx *earlier = gort_ctx_with_deadline(p, pd - MS(60));
    gort_ctx *plain = gort_ctx_with_cancel(p);
    gort_ctx *val = gort_ctx_with_value(p, &key, NULL);
    gort_ctx *deep = gort_ctx_with_timeout(val, MS(60000));

    CHECK(gort_ctx_deadline(later_t, &d)); CHECK_EQ_INT(d, pd);
    CHECK(gort_ctx_deadline(later_d, &d)); CHECK_EQ_INT(d, pd);
    CHECK(gort_ctx_deadline(earlier, &d)); CHECK_EQ_INT(d, pd - MS(60));
    CHECK(gort_ctx_deadline(plain, &d));   CHECK_EQ_INT(d, pd);
    CHECK(gort_ctx_deadline(val, &d));     CHECK_EQ_INT(d, pd);
    CHECK(gort_ctx_deadline(deep, &d));    CHECK_EQ_INT(d, pd);

    CHECK(!gort_chan_recv(gort_ctx_done(earlier), NULL));
    CHECK_GE_INT(gort_now(), pd - MS(60));
    CHECK_EQ_INT(gort_ctx_err(earlier), GORT_DEADLINE_EXCEEDED);
    if (gort_now() < pd) {   /* unless descheduled past the parent's deadline */
        CHECK_EQ_INT(gort_ctx_err(p), 0);
        CHECK_EQ_INT(gort_ctx_err(later_t), 0);
    }

    CHECK(!gort_chan_recv(gort_ctx_done(later_t), NULL));
    CHECK_GE_INT(gort_now(), pd);
    CHECK(!gort_chan_recv(gort_ctx_done(deep), NULL));
    CHECK(!gort_chan_recv(gort_ctx_done(later_d), NULL));
    CHECK_EQ_INT(gort_ctx_err(p), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_err(later_t), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_err(later_d), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_err(plain), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_err(deep), GORT_DEADLINE_EXCEEDED);

    gort_ctx_unref(deep); gort_ctx_unref(val); gort_ctx_unref(plain);
    gort_ctx_unref(earlier); gort_ctx_unref(later_d); gort_ctx_unref(later_t);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
