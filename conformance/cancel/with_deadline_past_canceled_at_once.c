// gort_ctx_with_deadline with a deadline already past (or now), and
// gort_ctx_with_timeout with 0 or a negative duration, return a context
// that has already ended: err GORT_DEADLINE_EXCEEDED and done closed when
// the constructor returns.
#include "check.h"

static void check_ended(gort_ctx *c, const char *what)
{
    CHECK_MSG(gort_ctx_err(c) == GORT_DEADLINE_EXCEEDED, "%s: err %d", what, gort_ctx_err(c));
    bool ok = true;
    CHECK_MSG(gort_chan_try_recv(gort_ctx_done(c), NULL, &ok) && !ok, "%s: done not closed", what);
    gort_ctx_unref(c);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *bg = gort_ctx_background();
    check_ended(gort_ctx_with_deadline(bg, gort_now() - MS(1000)), "deadline 1 s ago");
    check_ended(gort_ctx_with_deadline(bg, gort_now() - 1), "deadline 1 ns ago");
    check_ended(gort_ctx_with_deadline(bg, gort_now()), "deadline now");
    check_ended(gort_ctx_with_deadline(bg, 0), "deadline 0");
    check_ended(gort_ctx_with_deadline(bg, INT64_MIN), "deadline INT64_MIN");
    check_ended(gort_ctx_with_timeout(bg, 0), "timeout 0");
    check_ended(gort_ctx_with_timeout(bg, -MS(5)), "timeout -5 ms");
    gort_ctx *p = gort_ctx_with_cancel(bg);
    check_ended(gort_ctx_with_deadline(p, gort_now() - 1), "past deadline below a live parent");
    CHECK_EQ_INT(gort_ctx_err(p), 0);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
