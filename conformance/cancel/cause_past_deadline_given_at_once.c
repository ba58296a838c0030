// A _cause constructor given a deadline already past ends the context at
// once with err GORT_DEADLINE_EXCEEDED and its cause (Go's TestCause
// "WithTimeoutCause"): with_timeout_cause(bg, 0, 701) and
// with_deadline_cause(bg, now - 1 s, 702) are done when they return, with
// those causes; canceling them afterwards (plainly or with a cause) changes
// nothing.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *t = gort_ctx_with_timeout_cause(gort_ctx_background(), 0, 701);
    gort_ctx *d = gort_ctx_with_deadline_cause(gort_ctx_background(), gort_now() - MS(1000), 702);
    bool ok = true;
    CHECK(gort_chan_try_recv(gort_ctx_done(t), NULL, &ok) && !ok);
    CHECK(gort_chan_try_recv(gort_ctx_done(d), NULL, &ok) && !ok);
    CHECK_EQ_INT(gort_ctx_err(t), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_cause(t), 701);
    CHECK_EQ_INT(gort_ctx_err(d), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_cause(d), 702);
    gort_ctx_cancel(t);
    gort_ctx_cancel_cause(d, 799);
    CHECK_EQ_INT(gort_ctx_err(t), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_cause(t), 701);
    CHECK_EQ_INT(gort_ctx_err(d), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_cause(d), 702);
    gort_ctx_unref(t);
    gort_ctx_unref(d);
    return 0;
}

GORT_MAIN(main_fn)
