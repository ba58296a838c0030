// A member started with gort_errgroup_try_go counts like any other: its
// non-zero result cancels the group's context (a member blocked on the
// context's done wakes) and is what gort_errgroup_wait returns; wait waits
// for try_go members too.
#include "check.h"

static _Atomic int saw_cancel, slow_done;

static int watcher(gort_ctx *ctx, void *arg)
{
    (void)arg;
    gort_chan *t = gort_after(MS(10000));
    gort_case cs[2] = { { GORT_RECV, gort_ctx_done(ctx), NULL, false }, { GORT_RECV, t, NULL, false } };
    int r = gort_select(cs, 2, true);
    gort_chan_unref(t);
    if (r == 0 && gort_ctx_err(ctx) == GORT_CANCELED) atomic_store(&saw_cancel, 1);
    return 0;
}

static int failer(gort_ctx *ctx, void *arg) { (void)ctx; (void)arg; gort_sleep(MS(10)); return 17; }

static int slow(gort_ctx *ctx, void *arg)
{
    (void)ctx; (void)arg;
    gort_sleep(MS(60));
    atomic_store(&slow_done, 1);
    return 18;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *gctx = NULL;
    gort_errgroup *g = gort_errgroup_new(gort_ctx_background(), &gctx);
    gort_errgroup_limit(g, 3);
    CHECK(gort_errgroup_try_go(g, watcher, NULL));
    CHECK(gort_errgroup_try_go(g, failer, NULL));
    CHECK(gort_errgroup_try_go(g, slow, NULL));
    CHECK_EQ_INT(gort_errgroup_wait(g), 17);
    CHECK_EQ_INT(atomic_load(&saw_cancel), 1);
    CHECK_MSG(atomic_load(&slow_done) == 1, "wait returned before a try_go member ended");
    CHECK_EQ_INT(gort_ctx_err(gctx), GORT_CANCELED);
    gort_ctx_unref(gctx);
    return 0;
}

GORT_MAIN(main_fn)
