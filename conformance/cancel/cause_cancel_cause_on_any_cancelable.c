// gort_ctx_cancel_cause works on every context a with_cancel* constructor
// made, not only with_cancel_cause ones: a with_cancel, a with_timeout and
// a with_deadline context (deadlines far away) canceled with causes 201,
// 202, 203 report err GORT_CANCELED and exactly those causes; on the
// background it does nothing.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *bg = gort_ctx_background();
    gort_ctx *c = gort_ctx_with_cancel(bg);
    gort_ctx *t = gort_ctx_with_timeout(bg, MS(1000000));
    gort_ctx *d = gort_ctx_with_deadline(bg, gort_now() + MS(1000000));
    gort_ctx_cancel_cause(c, 201);
    gort_ctx_cancel_cause(t, 202);
    gort_ctx_cancel_cause(d, 203);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(c), 201);
    CHECK_EQ_INT(gort_ctx_err(t), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(t), 202);
    CHECK_EQ_INT(gort_ctx_err(d), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(d), 203);
    gort_ctx_cancel_cause(bg, 204);
    CHECK_EQ_INT(gort_ctx_err(bg), 0);
    CHECK_EQ_INT(gort_ctx_cause(bg), 0);
    gort_ctx_unref(c);
    gort_ctx_unref(t);
    gort_ctx_unref(d);
    return 0;
}

GORT_MAIN(main_fn)
