// A chain of value contexts directly above background can never end: done
// is NULL, err 0, no deadline, gort_ctx_cancel on it does nothing (not even
// to a cancelable child's parent link), and dropping its last reference
// cancels nothing.  A cancelable child below it works normally.
#include "check.h"

static int k1, k2;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *a = gort_ctx_with_value(gort_ctx_background(), &k1, &k1);
    gort_ctx *b = gort_ctx_with_value(a, &k2, &k2);
    CHECK(gort_ctx_done(a) == NULL);
    CHECK(gort_ctx_done(b) == NULL);
    CHECK_EQ_INT(gort_ctx_err(b), 0);
    CHECK(!gort_ctx_deadline(b, NULL));

    gort_ctx *kid = gort_ctx_with_cancel(b);
    gort_ctx_cancel(b);
    gort_ctx_cancel(a);
    CHECK_EQ_INT(gort_ctx_err(a), 0);
    CHECK_EQ_INT(gort_ctx_err(b), 0);
    CHECK(gort_ctx_done(b) == NULL);
    CHECK_EQ_INT(gort_ctx_err(kid), 0);
    CHECK(!gort_chan_try_recv(gort_ctx_done(kid), NULL, NULL));

    gort_ctx *b2 = gort_ctx_ref(b);
    gort_ctx_unref(b);                   /* not the last: kid and b2 hold it */
    CHECK(gort_ctx_value(b2, &k1) == &k1);
    CHECK_EQ_INT(gort_ctx_err(kid), 0);
    gort_ctx_unref(b2);                  /* kid still holds b */
    CHECK(gort_ctx_value(kid, &k2) == &k2);
    CHECK_EQ_INT(gort_ctx_err(kid), 0);

    gort_ctx_cancel(kid);
    CHECK_EQ_INT(gort_ctx_err(kid), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_err(a), 0);
    gort_ctx_unref(kid);
    gort_ctx_unref(a);
    return 0;
}

GORT_MAIN(main_fn)
