// The first cause sticks: a with_timeout_cause(20 ms, 801) context canceled
// with cause 802 before its deadline keeps err GORT_CANCELED and cause 802
// after the deadline has passed (the timer's cause is never taken); so does
// a child below it (it had the parent's cause) — and a with_deadline_cause
// context canceled plainly keeps cause GORT_CANCELED.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *c = gort_ctx_with_timeout_cause(gort_ctx_background(), MS(20), 801);
    gort_ctx *kid = gort_ctx_with_cancel(c);
    gort_ctx *d = gort_ctx_with_deadline_cause(gort_ctx_background(), gort_now() + MS(20), 803);
    gort_ctx_cancel_cause(c, 802);
    gort_ctx_cancel(d);
    CHECK_EQ_INT(gort_ctx_cause(c), 802);
    CHECK_EQ_INT(gort_ctx_cause(kid), 802);
    CHECK_EQ_INT(gort_ctx_cause(d), GORT_CANCELED);
    gort_sleep(MS(80));                 /* well past the deadlines */
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(c), 802);
    CHECK_EQ_INT(gort_ctx_err(kid), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(kid), 802);
    CHECK_EQ_INT(gort_ctx_err(d), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(d), GORT_CANCELED);
    gort_ctx_unref(kid);
    gort_ctx_unref(c);
    gort_ctx_unref(d);
    return 0;
}

GORT_MAIN(main_fn)
