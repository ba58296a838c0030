// gort_ctx_cancel is gort_ctx_cancel_cause with cause 0: the cause of a
// context it ended is its err, GORT_CANCELED — for with_cancel (Go's
// TestCause "WithCancel"), with_cancel_cause, with_timeout and
// with_timeout_cause contexts (deadlines far away: "WithTimeout canceled",
// "WithTimeoutCause canceled"); the timer's cause is not used.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *bg = gort_ctx_background();
    gort_ctx *cs[4] = {
        gort_ctx_with_cancel(bg),
        gort_ctx_with_cancel_cause(bg),
        gort_ctx_with_timeout(bg, MS(1000000)),
        gort_ctx_with_timeout_cause(bg, MS(1000000), 301),
    };
    for (int i = 0; i < 4; i++) {
        gort_ctx_cancel(cs[i]);
        CHECK_MSG(gort_ctx_err(cs[i]) == GORT_CANCELED, "context %d: err %d", i, gort_ctx_err(cs[i]));
        CHECK_MSG(gort_ctx_cause(cs[i]) == GORT_CANCELED, "context %d: cause %d, want GORT_CANCELED", i,
                  gort_ctx_cause(cs[i]));
        gort_ctx_unref(cs[i]);
    }
    return 0;
}

GORT_MAIN(main_fn)
