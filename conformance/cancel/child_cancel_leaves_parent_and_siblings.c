// Cancellation never flows upward or sideways: cancelling a child (directly,
// through a value node in between, or by its own timeout) leaves its parent,
// grandparent and siblings live (err 0, done open), while the child's own
// descendants end.
#include "check.h"

static int key;

static void check_live(gort_ctx *c, const char *what)
{
    CHECK_MSG(gort_ctx_err(c) == 0, "%s err %d", what, gort_ctx_err(c));
    CHECK_MSG(!gort_chan_try_recv(gort_ctx_done(c), NULL, NULL), "%s: done closed", what);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *gp = gort_ctx_with_cancel(gort_ctx_background());
    gort_ctx *p = gort_ctx_with_cancel(gp);
    gort_ctx *a = gort_ctx_with_cancel(p);
    gort_ctx *b = gort_ctx_with_cancel(p);
    gort_ctx *v = gort_ctx_with_value(p, &key, &key);
    gort_ctx *c = gort_ctx_with_cancel(v);
    gort_ctx *t = gort_ctx_with_timeout(p, MS(10));
    gort_ctx *a_kid = gort_ctx_with_cancel(a);

    gort_ctx_cancel(a);
    CHECK_EQ_INT(gort_ctx_err(a), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_err(a_kid), GORT_CANCELED);
    check_live(gp, "grandparent");
    check_live(p, "parent");
    check_live(b, "sibling b");
    check_live(c, "sibling c");
    check_live(v, "value node");

    gort_ctx_cancel(c);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    check_live(v, "value node above c");
    check_live(p, "parent");
    check_live(b, "sibling b");

    CHECK(!gort_chan_recv(gort_ctx_done(t), NULL));     /* t's own timeout */
    CHECK_EQ_INT(gort_ctx_err(t), GORT_DEADLINE_EXCEEDED);
    check_live(p, "parent after a child's timeout");
    check_live(b, "sibling after a sibling's timeout");
    check_live(gp, "grandparent");

    gort_ctx_unref(a_kid); gort_ctx_unref(t); gort_ctx_unref(c); gort_ctx_unref(v);
    gort_ctx_unref(b); gort_ctx_unref(a);
    check_live(p, "parent after its children were released");
    gort_ctx_unref(p);
    check_live(gp, "grandparent after its child was released");
    gort_ctx_unref(gp);
    return 0;
}

GORT_MAIN(main_fn)
