// A child that ended before its parent keeps its own cause (Go's TestCause
// "parent cause after child" and "parent cause after nil"): a child
// canceled with cause 502, then the parent with 501 — the child's cause
// stays 502, the parent's is 501; a child canceled plainly first keeps
// cause GORT_CANCELED after the parent's cancel_cause(501); a sibling
// still live when the parent is canceled gets 501.
#include "check.h"

enum { PARENT_CAUSE = 501, CHILD_CAUSE = 502 };

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *p = gort_ctx_with_cancel_cause(gort_ctx_background());
    gort_ctx *with_cause = gort_ctx_with_cancel_cause(p);
    gort_ctx *plain = gort_ctx_with_cancel(p);
    gort_ctx *sibling = gort_ctx_with_cancel(p);
    gort_ctx_cancel_cause(with_cause, CHILD_CAUSE);
    gort_ctx_cancel(plain);
    CHECK_EQ_INT(gort_ctx_err(p), 0);
    CHECK_EQ_INT(gort_ctx_cause(p), 0);
    gort_ctx_cancel_cause(p, PARENT_CAUSE);
    CHECK_EQ_INT(gort_ctx_cause(p), PARENT_CAUSE);
    CHECK_EQ_INT(gort_ctx_err(with_cause), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(with_cause), CHILD_CAUSE);
    CHECK_EQ_INT(gort_ctx_err(plain), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(plain), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(sibling), PARENT_CAUSE);
    gort_ctx_unref(sibling);
    gort_ctx_unref(plain);
    gort_ctx_unref(with_cause);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
