// The background context never ends: done is NULL, err 0, no deadline, no
// values; ref returns it and ref/unref (any number) and cancel are no-ops.
#include "check.h"

static int key;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *bg = gort_ctx_background();
    CHECK(bg != NULL);
    CHECK(gort_ctx_background() == bg);
    CHECK(gort_ctx_done(bg) == NULL);
    CHECK_EQ_INT(gort_ctx_err(bg), 0);
    int64_t d = 12345;
    CHECK(!gort_ctx_deadline(bg, &d));
    CHECK(gort_ctx_value(bg, &key) == NULL);
    for (int i = 0; i < 1000; i++) CHECK(gort_ctx_ref(bg) == bg);
    for (int i = 0; i < 5000; i++) gort_ctx_unref(bg);    /* more unrefs than refs: still no-ops */
    gort_ctx_cancel(bg);
    CHECK(gort_ctx_done(bg) == NULL);
    CHECK_EQ_INT(gort_ctx_err(bg), 0);
    /* still usable as a parent, and a child's cancel does not reach it */
    gort_ctx *c = gort_ctx_with_cancel(bg);
    gort_ctx_cancel(c);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_err(bg), 0);
    gort_ctx_unref(c);
    CHECK_EQ_INT(gort_ctx_err(bg), 0);
    return 0;
}

GORT_MAIN(main_fn)
