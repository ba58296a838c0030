// A context ended by an ancestor's cancellation has the ancestor's cause
// (Go's TestCause "parent cause before child"): parent canceled with cause
// 401 ends a with_cancel child, a with_cancel_cause child, a with_timeout
// child, a grandchild and a value context below them, all with err
// GORT_CANCELED and cause 401; a child's own cancel_cause afterwards
// changes nothing (the first cancellation sticks).  A parent canceled
// without a cause gives its children cause GORT_CANCELED ("child with nil
// cause").
#include "check.h"

enum { PARENT_CAUSE = 401, CHILD_CAUSE = 402 };
static int key;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *p = gort_ctx_with_cancel_cause(gort_ctx_background());
    gort_ctx *k1 = gort_ctx_with_cancel(p);
    gort_ctx *k2 = gort_ctx_with_cancel_cause(p);
    gort_ctx *k3 = gort_ctx_with_timeout_cause(p, MS(1000000), 499);
    gort_ctx *v = gort_ctx_with_value(k2, &key, NULL);
    gort_ctx *gk = gort_ctx_with_cancel_cause(v);
    gort_ctx *gv = gort_ctx_with_value(gk, &key, NULL);
    gort_ctx *all[] = { k1, k2, k3, v, gk, gv };
    gort_ctx_cancel_cause(p, PARENT_CAUSE);
    gort_ctx_cancel_cause(k2, CHILD_CAUSE);
    gort_ctx_cancel(k1);
    gort_ctx_cancel_cause(gk, CHILD_CAUSE);
    CHECK_EQ_INT(gort_ctx_cause(p), PARENT_CAUSE);
    for (int i = 0; i < 6; i++) {
        CHECK_MSG(gort_ctx_err(all[i]) == GORT_CANCELED, "descendant %d: err %d", i, gort_ctx_err(all[i]));
        CHECK_MSG(gort_ctx_cause(all[i]) == PARENT_CAUSE, "descendant %d: cause %d, want the parent's %d", i,
                  gort_ctx_cause(all[i]), PARENT_CAUSE);
    }
    for (int i = 5; i >= 0; i--) gort_ctx_unref(all[i]);
    gort_ctx_unref(p);

    p = gort_ctx_with_cancel_cause(gort_ctx_background());
    gort_ctx *k = gort_ctx_with_cancel_cause(p);
    gort_ctx_cancel_cause(p, 0);
    gort_ctx_cancel_cause(k, CHILD_CAUSE);
    CHECK_EQ_INT(gort_ctx_err(k), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(k), GORT_CANCELED);
    gort_ctx_unref(k);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
