// The caller owns the reference gort_ctx_without_cancel returns, and it
// holds its parent: the parent chain's creator may drop its own references
// first; values are still found through the without_cancel context (and a
// context derived from it) until the caller drops it.  (Under
// AddressSanitizer a use after free fails this test.)
#include "check.h"

static int k1, k2;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < 100; i++) {
        gort_ctx *p = gort_ctx_with_cancel(gort_ctx_background());
        gort_ctx *v1 = gort_ctx_with_value(p, &k1, &k1);
        gort_ctx *v2 = gort_ctx_with_value(v1, &k2, &k2);
        gort_ctx *w = gort_ctx_without_cancel(v2);
        gort_ctx_unref(v2);
        gort_ctx_unref(v1);
        gort_ctx_unref(p);
        gort_ctx *kid = gort_ctx_with_cancel(w);
        CHECK(gort_ctx_value(w, &k1) == &k1);
        CHECK(gort_ctx_value(w, &k2) == &k2);
        CHECK(gort_ctx_value(kid, &k1) == &k1);
        CHECK_EQ_INT(gort_ctx_err(w), 0);
        CHECK(gort_ctx_done(w) == NULL);
        gort_ctx_unref(kid);
        CHECK(gort_ctx_value(w, &k2) == &k2);
        gort_ctx_unref(w);
    }
    return 0;
}

GORT_MAIN(main_fn)
