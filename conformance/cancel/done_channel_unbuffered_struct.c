// A context's done channel is Go's `make(chan struct{})`: unbuffered,
// capacity 0, empty, for every cancelable kind (with_cancel,
// with_cancel_cause, with_timeout, with_deadline and their _cause forms);
// a value context answers with its cancelable parent's channel, and
// closing (the cancel) leaves it empty: a receive gets (nothing, false).
#include "check.h"

#define HOUR MS(3600 * 1000LL)

static void check_done(gort_ctx *c, const char *what)
{
    gort_chan *d = gort_ctx_done(c);
    CHECK_MSG(d != NULL, "%s: no done channel", what);
    CHECK_MSG(gort_chan_cap(d) == 0, "%s: done channel has capacity %zu, want 0", what, gort_chan_cap(d));
    CHECK_MSG(gort_chan_len(d) == 0, "%s: done channel holds %zu", what, gort_chan_len(d));
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *bg = gort_ctx_background();
    gort_ctx *cs[6] = {
        gort_ctx_with_cancel(bg),
        gort_ctx_with_cancel_cause(bg),
        gort_ctx_with_timeout(bg, HOUR),
        gort_ctx_with_deadline(bg, gort_now() + HOUR),
        gort_ctx_with_timeout_cause(bg, HOUR, 9),
        gort_ctx_with_deadline_cause(bg, gort_now() + HOUR, 9),
    };
    const char *names[6] = { "with_cancel", "with_cancel_cause", "with_timeout", "with_deadline",
                             "with_timeout_cause", "with_deadline_cause" };
    static int key;
    for (int i = 0; i < 6; i++) {
        check_done(cs[i], names[i]);
        gort_ctx *v = gort_ctx_with_value(cs[i], &key, NULL);
        CHECK_MSG(gort_ctx_done(v) == gort_ctx_done(cs[i]), "%s: a value child has its own channel", names[i]);
        gort_ctx_cancel(cs[i]);
        check_done(cs[i], names[i]);
        CHECK(!gort_chan_recv(gort_ctx_done(cs[i]), NULL));
        gort_ctx_unref(v);
        gort_ctx_unref(cs[i]);
    }
    return 0;
}

GORT_MAIN(main_fn)
