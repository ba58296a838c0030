// gort_ctx_after_func runs fn when ctx's deadline ends it (Go's
// TestAfterFuncCalledAfterTimeout): registered on a 20 ms timeout, fn runs
// (within 10 s), no earlier than the deadline, and sees the context ended
// with GORT_DEADLINE_EXCEEDED.
#include "check.h"

static gort_ctx *ctx;
static _Atomic int64_t ran_at;
static _Atomic int err_seen = -1;

static void fn(void *arg)
{
    atomic_store(&ran_at, gort_now());
    atomic_store(&err_seen, gort_ctx_err(ctx));
    gort_chan_close(arg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int64_t t0 = gort_now();
    ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(20));
    gort_chan *donec = gort_chan_make(0, 0);
    gort_afterfunc *stop = gort_ctx_after_func(ctx, fn, donec);
    gort_chan *t = gort_after(MS(10000));
    gort_case cs[2] = { { GORT_RECV, donec, NULL, false }, { GORT_RECV, t, NULL, false } };
    CHECK_MSG(gort_select(cs, 2, true) == 0, "after_func not called within 10 s of a 20 ms timeout");
    gort_chan_unref(t);
    CHECK_GE_INT(atomic_load(&ran_at), t0 + MS(20));
    CHECK_EQ_INT(atomic_load(&err_seen), GORT_DEADLINE_EXCEEDED);
    CHECK(!gort_afterfunc_stop(stop));
    gort_ctx_unref(ctx);
    gort_chan_unref(donec);
    return 0;
}

GORT_MAIN(main_fn)
