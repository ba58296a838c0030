// The first cause sticks: a context with a 20 ms timeout that is canceled
// first keeps GORT_CANCELED after its deadline has passed (and its done
// stays closed); so does a child that inherited the deadline.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *c = gort_ctx_with_timeout(gort_ctx_background(), MS(20));
    gort_ctx *kid = gort_ctx_with_cancel(c);
    gort_ctx *dl = gort_ctx_with_deadline(gort_ctx_background(), gort_now() + MS(20));
    gort_ctx_cancel(c);
    gort_ctx_cancel(dl);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_err(kid), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_err(dl), GORT_CANCELED);
    gort_sleep(MS(60));                 /* well past the deadline */
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_err(kid), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_err(dl), GORT_CANCELED);
    CHECK(!gort_chan_recv(gort_ctx_done(c), NULL));
    gort_ctx_unref(kid);
    gort_ctx_unref(c);
    gort_ctx_unref(dl);
    return 0;
}

GORT_MAIN(main_fn)
