// The first cause sticks: once the deadline timer of a
// with_timeout_cause(20 ms, 901) context has ended it (done closed), a
// cancel_cause(902) changes neither err (GORT_DEADLINE_EXCEEDED) nor cause
// (901), nor those of its child, which the timer ended with cause 901.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *c = gort_ctx_with_timeout_cause(gort_ctx_background(), MS(20), 901);
    gort_ctx *kid = gort_ctx_with_cancel_cause(c);
    gort_chan *t = gort_after(MS(10000));
    gort_case cs[2] = { { GORT_RECV, gort_ctx_done(c), NULL, false }, { GORT_RECV, t, NULL, false } };
    CHECK_MSG(gort_select(cs, 2, true) == 0, "a 20 ms timeout was not done after 10 s");
    gort_chan_unref(t);
    CHECK_EQ_INT(gort_ctx_cause(c), 901);
    CHECK_EQ_INT(gort_ctx_cause(kid), 901);
    gort_ctx_cancel_cause(c, 902);
    gort_ctx_cancel_cause(kid, 903);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_cause(c), 901);
    CHECK_EQ_INT(gort_ctx_err(kid), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_cause(kid), 901);
    gort_ctx_unref(kid);
    gort_ctx_unref(c);
    return 0;
}

GORT_MAIN(main_fn)
