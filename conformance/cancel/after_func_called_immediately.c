// gort_ctx_after_func on a context that has already ended runs fn at once,
// in its own goroutine (Go's TestAfterFuncCalledImmediately): fn runs
// (within 10 s) although nothing ends the context after registration, on a
// goroutine other than the caller; stop then returns false.
#include "check.h"

static _Atomic uint64_t ran_on;

static void fn(void *arg)
{
    atomic_store(&ran_on, gort_id());
    gort_chan_close(arg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *ctx = gort_ctx_with_cancel(gort_ctx_background());
    gort_ctx_cancel(ctx);
    gort_chan *donec = gort_chan_make(0, 0);
    gort_afterfunc *stop = gort_ctx_after_func(ctx, fn, donec);
    gort_chan *t = gort_after(MS(10000));
    gort_case cs[2] = { { GORT_RECV, donec, NULL, false }, { GORT_RECV, t, NULL, false } };
    CHECK_MSG(gort_select(cs, 2, true) == 0, "after_func not called for an already-canceled context");
    gort_chan_unref(t);
    CHECK_MSG(atomic_load(&ran_on) != 0 && atomic_load(&ran_on) != gort_id(),
              "fn ran on goroutine %llu (caller %llu)", (unsigned long long)atomic_load(&ran_on),
              (unsigned long long)gort_id());
    CHECK(!gort_afterfunc_stop(stop));
    gort_ctx_unref(ctx);
    gort_chan_unref(donec);
    return 0;
}

GORT_MAIN(main_fn)
