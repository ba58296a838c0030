// Canceling a context does not wait for its after-funcs (Go's
// TestAfterFuncCalledAsynchronously): fn blocks in an unbuffered send that
// only main, after gort_ctx_cancel has returned, receives; cancel returns,
// and main's receive completes (within 10 s).
#include "check.h"

static void fn(void *arg) { gort_chan_send(arg, NULL); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *ctx = gort_ctx_with_cancel(gort_ctx_background());
    gort_chan *donec = gort_chan_make(0, 0);
    gort_afterfunc *stop = gort_ctx_after_func(ctx, fn, donec);
    gort_ctx_cancel(ctx);                 /* would deadlock if it ran fn and waited */
    gort_chan *t = gort_after(MS(10000));
    gort_case cs[2] = { { GORT_RECV, donec, NULL, false }, { GORT_RECV, t, NULL, false } };
    CHECK_MSG(gort_select(cs, 2, true) == 0, "after_func not called within 10 s after cancel");
    gort_chan_unref(t);
    CHECK(!gort_afterfunc_stop(stop));
    gort_ctx_unref(ctx);
    gort_chan_unref(donec);
    return 0;
}

GORT_MAIN(main_fn)
