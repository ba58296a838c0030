// gort_ctx_cause is 0 while a context is live (Go's TestCause, the live
// cases): the background, live with_cancel, with_cancel_cause,
// with_timeout_cause and with_deadline_cause contexts (far-away deadlines),
// a value context over a live one, and a without_cancel context; err is 0
// for each too.
#include "check.h"

static int key;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *bg = gort_ctx_background();
    gort_ctx *c = gort_ctx_with_cancel(bg);
    gort_ctx *cc = gort_ctx_with_cancel_cause(bg);
    gort_ctx *tc = gort_ctx_with_timeout_cause(bg, MS(1000000), 7);
    gort_ctx *dc = gort_ctx_with_deadline_cause(cc, gort_now() + MS(1000000), 8);
    gort_ctx *v = gort_ctx_with_value(dc, &key, &key);
    gort_ctx *wc = gort_ctx_without_cancel(v);
    gort_ctx *all[] = { bg, c, cc, tc, dc, v, wc };
    const char *names[] = { "background", "with_cancel", "with_cancel_cause", "with_timeout_cause",
                            "with_deadline_cause", "value", "without_cancel" };
    for (int i = 0; i < 7; i++) {
        CHECK_MSG(gort_ctx_cause(all[i]) == 0, "%s: cause %d while live", names[i], gort_ctx_cause(all[i]));
        CHECK_MSG(gort_ctx_err(all[i]) == 0, "%s: err %d while live", names[i], gort_ctx_err(all[i]));
    }
    gort_ctx_unref(wc);
    gort_ctx_unref(v);
    gort_ctx_unref(dc);
    gort_ctx_unref(tc);
    gort_ctx_unref(cc);
    gort_ctx_unref(c);
    return 0;
}

GORT_MAIN(main_fn)
