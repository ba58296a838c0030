// gort_ctx_value looks a key up through the chain of parents, across cancel
// and timeout nodes: the nearest binding wins, keys compare by address (two
// distinct keys with equal contents do not alias), a missing key is NULL, and
// a parent does not see its children's values.  Cancellation does not hide
// values.
#include "check.h"

static int k1, k2;
static const char ka[] = "same", kb[] = "same";

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int v1 = 1, v2 = 2, v3 = 3;
    gort_ctx *a = gort_ctx_with_value(gort_ctx_background(), &k1, &v1);
    gort_ctx *b = gort_ctx_with_cancel(a);
    gort_ctx *c = gort_ctx_with_value(b, &k2, &v2);
    gort_ctx *d = gort_ctx_with_timeout(c, MS(60000));
    gort_ctx *e = gort_ctx_with_value(d, &k1, &v3);      /* shadows k1 */
    gort_ctx *f = gort_ctx_with_value(e, ka, &v1);

    CHECK(gort_ctx_value(a, &k1) == &v1);
    CHECK(gort_ctx_value(b, &k1) == &v1);
    CHECK(gort_ctx_value(d, &k1) == &v1);
    CHECK(gort_ctx_value(d, &k2) == &v2);
    CHECK(gort_ctx_value(e, &k1) == &v3);     /* nearest wins */
    CHECK(gort_ctx_value(f, &k1) == &v3);
    CHECK(gort_ctx_value(f, &k2) == &v2);
    CHECK(gort_ctx_value(f, ka) == &v1);
    CHECK(gort_ctx_value(f, kb) == NULL);     /* by address, not contents */
    CHECK(gort_ctx_value(a, &k2) == NULL);    /* never from below */
    CHECK(gort_ctx_value(c, ka) == NULL);
    CHECK(gort_ctx_value(f, &v1) == NULL);    /* missing */
    CHECK(gort_ctx_value(gort_ctx_background(), &k1) == NULL);

    gort_ctx_cancel(b);
    CHECK_EQ_INT(gort_ctx_err(f), GORT_CANCELED);
    CHECK(gort_ctx_value(f, &k1) == &v3);
    CHECK(gort_ctx_value(f, &k2) == &v2);

    /* a NULL value is a binding too: it hides the outer one */
    gort_ctx *g = gort_ctx_with_value(f, &k2, NULL);
    CHECK(gort_ctx_value(g, &k2) == NULL);
    CHECK(gort_ctx_value(g, &k1) == &v3);

    gort_ctx_unref(g); gort_ctx_unref(f); gort_ctx_unref(e); gort_ctx_unref(d);
    gort_ctx_unref(c); gort_ctx_unref(b); gort_ctx_unref(a);
    return 0;
}

GORT_MAIN(main_fn)
