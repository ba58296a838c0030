// gort_errgroup_wait returns the first non-zero result, not a later one and
// not a zero: member A returns 7 after 10 ms, member B returns 9 only after
// the group's context ended (so after A), the rest return 0.  The group's
// context ended with GORT_CANCELED.  A group whose members all fail at once
// returns one of their results.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static int fail7(gort_ctx *ctx, void *arg)
{
    (void)ctx; (void)arg;
    gort_sleep(MS(10));
    return 7;
}

static int fail9_after_cancel(gort_ctx *ctx, void *arg)
{
    (void)arg;
    CHECK(!gort_chan_recv(gort_ctx_done(ctx), NULL));
    return 9;
}

static int ok0(gort_ctx *ctx, void *arg)
{
    (void)ctx; (void)arg;
    gort_sleep(MS(20));
    return 0;
}

static int ret_arg(gort_ctx *ctx, void *arg)
{
    (void)ctx;
    return (int)(intptr_t)arg;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *gctx = NULL;
    gort_errgroup *g = gort_errgroup_new(gort_ctx_background(), &gctx);
    CHECK(g != NULL);
    CHECK(gctx != NULL);
    gort_errgroup_go(g, ok0, NULL);
    gort_errgroup_go(g, fail9_after_cancel, NULL);
    gort_errgroup_go(g, fail7, NULL);
    gort_errgroup_go(g, ok0, NULL);
    CHECK_EQ_INT(gort_errgroup_wait(g), 7);
    CHECK_EQ_INT(gort_ctx_err(gctx), GORT_CANCELED);
    gort_ctx_unref(gctx);

    g = gort_errgroup_new(gort_ctx_background(), NULL);
    for (intptr_t i = 1; i <= 20; i++) gort_errgroup_go(g, ret_arg, (void *)i);
    int r = gort_errgroup_wait(g);
    CHECK_MSG(r >= 1 && r <= 20, "wait returned %d", r);

    g = gort_errgroup_new(NULL, NULL);      /* NULL parent: background */
    gort_errgroup_go(g, ok0, NULL);
    gort_errgroup_go(g, ret_arg, (void *)(intptr_t)-3);   /* negative is non-zero too */
    CHECK_EQ_INT(gort_errgroup_wait(g), -3);
    return 0;
}

GORT_MAIN(main_fn)
