// The first cause sticks: a context whose 10 ms timeout has fired keeps
// GORT_DEADLINE_EXCEEDED when it is canceled afterwards, and so does its
// child (which got the parent's cause) when the child is canceled too.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *c = gort_ctx_with_timeout(gort_ctx_background(), MS(10));
    gort_ctx *kid = gort_ctx_with_cancel(c);
    CHECK(!gort_chan_recv(gort_ctx_done(c), NULL));
    CHECK_EQ_INT(gort_ctx_err(c), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_err(kid), GORT_DEADLINE_EXCEEDED);
    gort_ctx_cancel(kid);
    gort_ctx_cancel(c);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_err(kid), GORT_DEADLINE_EXCEEDED);
    gort_ctx_unref(kid);
    gort_ctx_unref(c);
    return 0;
}

GORT_MAIN(main_fn)
