// gort_afterfunc_stop before the context ends keeps fn from ever running
// and says so (Go's TestAfterFuncNotCalledAfterStop): stop returns true;
// canceling the context afterwards does not run fn (not within 50 ms, nor
// once everything started has ended).  Go allows a second stop (false);
// here a handle is stopped exactly once (see
// after_func_stop_twice_fatal.c).
#include "check.h"

static _Atomic int ran;

static void fn(void *arg) { atomic_store(&ran, 1); gort_chan_close(arg); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *ctx = gort_ctx_with_cancel(gort_ctx_background());
    gort_chan *donec = gort_chan_make(0, 0);
    gort_afterfunc *stop = gort_ctx_after_func(ctx, fn, donec);
    CHECK_MSG(gort_afterfunc_stop(stop), "stop() = false, want true");
    gort_ctx_cancel(ctx);
    gort_chan *t = gort_after(MS(50));
    gort_case cs[2] = { { GORT_RECV, donec, NULL, false }, { GORT_RECV, t, NULL, false } };
    CHECK_MSG(gort_select(cs, 2, true) == 1, "after_func called after it was stopped");
    gort_chan_unref(t);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    CHECK_EQ_INT(atomic_load(&ran), 0);
    gort_ctx_unref(ctx);
    gort_chan_unref(donec);
    return 0;
}

GORT_MAIN(main_fn)
