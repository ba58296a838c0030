// gort_ctx_after_func runs fn once ctx is canceled, not before (Go's
// TestAfterFuncCalledAfterCancel): fn (which closes a channel) has not run
// 50 ms after it was registered on a live context; after gort_ctx_cancel it
// runs (within 10 s); gort_afterfunc_stop then returns false (fn had
// started).
#include "check.h"

static void close_it(void *arg) { gort_chan_close(arg); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *ctx = gort_ctx_with_cancel(gort_ctx_background());
    gort_chan *donec = gort_chan_make(0, 0);
    gort_afterfunc *stop = gort_ctx_after_func(ctx, close_it, donec);

    gort_chan *t = gort_after(MS(50));
    gort_case cs[2] = { { GORT_RECV, donec, NULL, false }, { GORT_RECV, t, NULL, false } };
    CHECK_MSG(gort_select(cs, 2, true) == 1, "after_func ran before the context was done");
    gort_chan_unref(t);

    gort_ctx_cancel(ctx);
    t = gort_after(MS(10000));
    cs[1].ch = t;
    CHECK_MSG(gort_select(cs, 2, true) == 0, "after_func not called within 10 s after cancel");
    gort_chan_unref(t);
    CHECK_MSG(!gort_afterfunc_stop(stop), "stop returned true after fn ran");
    gort_ctx_unref(ctx);
    gort_chan_unref(donec);
    return 0;
}

GORT_MAIN(main_fn)
