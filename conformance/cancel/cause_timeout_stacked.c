// A _cause timeout under a with_cancel_cause parent (Go's TestCause
// "WithTimeoutCause stacked" and "... stacked canceled"): a child with a
// past deadline (timeout 0, cause 1001) has already ended with
// GORT_DEADLINE_EXCEEDED and 1001, and the parent's later
// cancel_cause(1002) leaves it so; a child with a far deadline (cause 1003)
// is ended by the parent's cancel_cause(1004): GORT_CANCELED, cause 1004.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *p = gort_ctx_with_cancel_cause(gort_ctx_background());
    gort_ctx *c = gort_ctx_with_timeout_cause(p, 0, 1001);
    gort_ctx_cancel_cause(p, 1002);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_cause(c), 1001);
    CHECK_EQ_INT(gort_ctx_cause(p), 1002);
    gort_ctx_unref(c);
    gort_ctx_unref(p);

    p = gort_ctx_with_cancel_cause(gort_ctx_background());
    c = gort_ctx_with_timeout_cause(p, MS(1000000), 1003);
    gort_ctx_cancel_cause(p, 1004);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(c), 1004);
    gort_ctx_unref(c);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
