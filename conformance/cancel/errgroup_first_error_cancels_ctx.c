// The first non-zero result cancels the group's context at once, before
// wait: 5 members blocked in a select on the context's done and a 5 s timer
// observe done closing (and err GORT_CANCELED) soon after one member fails
// at 20 ms; the caller sees *ctx_out end before calling wait.  A context
// derived from the group's context ends too; the group's parent does not.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define N 5

static _Atomic int observed;

static int blocker(gort_ctx *ctx, void *arg)
{
    (void)arg;
    gort_ctx *kid = gort_ctx_with_cancel(ctx);
    gort_chan *t = gort_after(MS(5000));
    gort_case cs[2] = {
        { GORT_RECV, t, NULL, false },
        { GORT_RECV, gort_ctx_done(kid), NULL, true },
    };
    int r = gort_select(cs, 2, true);
    gort_chan_unref(t);
    CHECK_MSG(r == 1, "a member's 5 s timer fired before the group was canceled");
    CHECK_EQ_INT(gort_ctx_err(ctx), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_err(kid), GORT_CANCELED);
    gort_ctx_unref(kid);
    atomic_fetch_add(&observed, 1);
    return 0;
}

static int failer(gort_ctx *ctx, void *arg)
{
    (void)arg;
    gort_sleep(MS(20));
    CHECK_EQ_INT(gort_ctx_err(ctx), 0);
    return 42;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *parent = gort_ctx_with_cancel(gort_ctx_background());
    gort_ctx *gctx = NULL;
    gort_errgroup *g = gort_errgroup_new(parent, &gctx);
    CHECK_EQ_INT(gort_ctx_err(gctx), 0);
    for (int i = 0; i < N; i++) gort_errgroup_go(g, blocker, NULL);
    int64_t t0 = gort_now();
    gort_errgroup_go(g, failer, NULL);
    CHECK(!gort_chan_recv(gort_ctx_done(gctx), NULL));   /* before wait */
    CHECK_MSG(gort_now() - t0 < MS(2000), "group context ended %lld ms after the start",
              (long long)((gort_now() - t0) / 1000000));
    CHECK_EQ_INT(gort_ctx_err(gctx), GORT_CANCELED);
    CHECK_EQ_INT(gort_errgroup_wait(g), 42);
    CHECK_EQ_INT(atomic_load(&observed), N);
    CHECK_EQ_INT(gort_ctx_err(parent), 0);
    gort_ctx_unref(gctx);
    gort_ctx_unref(parent);
    return 0;
}

GORT_MAIN(main_fn)
