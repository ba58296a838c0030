// gort_ctx_cancel_cause(ctx, cause) ends ctx with err GORT_CANCELED and
// gort_ctx_cause == cause (Go's TestCause "WithCancelCause"); with cause 0
// the cause is GORT_CANCELED ("WithCancelCause nil"); its done channel is
// closed; a value context below it reports the same cause.
#include "check.h"

enum { PARENT_CAUSE = 101 };
static int key;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *c = gort_ctx_with_cancel_cause(gort_ctx_background());
    gort_ctx *v = gort_ctx_with_value(c, &key, NULL);
    gort_ctx_cancel_cause(c, PARENT_CAUSE);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(c), PARENT_CAUSE);
    CHECK_EQ_INT(gort_ctx_err(v), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(v), PARENT_CAUSE);
    CHECK(!gort_chan_recv(gort_ctx_done(c), NULL));
    gort_ctx_unref(v);
    gort_ctx_unref(c);

    c = gort_ctx_with_cancel_cause(gort_ctx_background());
    gort_ctx_cancel_cause(c, 0);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(c), GORT_CANCELED);
    CHECK(!gort_chan_recv(gort_ctx_done(c), NULL));
    gort_ctx_unref(c);
    return 0;
}

GORT_MAIN(main_fn)
