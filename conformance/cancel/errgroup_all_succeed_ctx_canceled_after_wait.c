// When every member succeeds, wait returns 0; the group's context stays live
// while they run (each member sees err 0 at its end) and until wait, and is
// canceled (GORT_CANCELED, done closed) once wait has returned.  *ctx_out
// stays valid after wait and is the caller's to unref.  The parent's values
// are visible through the group's context; a parent cancel ends it.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define N 50

static int key;
static _Atomic int ran, saw_live, saw_value;

static int member(gort_ctx *ctx, void *arg)
{
    (void)arg;
    gort_sleep(US(100 * (atomic_fetch_add(&ran, 1) % 10)));
    if (gort_ctx_err(ctx) == 0) atomic_fetch_add(&saw_live, 1);
    if (gort_ctx_value(ctx, &key) == &key) atomic_fetch_add(&saw_value, 1);
    return 0;
}

static int wait_cancel(gort_ctx *ctx, void *arg)
{
    (void)arg;
    CHECK(!gort_chan_recv(gort_ctx_done(ctx), NULL));
    return 0;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *vctx = gort_ctx_with_value(gort_ctx_background(), &key, &key);
    gort_ctx *gctx = NULL;
    gort_errgroup *g = gort_errgroup_new(vctx, &gctx);
    for (int i = 0; i < N; i++) gort_errgroup_go(g, member, NULL);
    gort_sleep(MS(30));
    CHECK_EQ_INT(gort_ctx_err(gctx), 0);          /* all done, not yet waited */
    CHECK(!gort_chan_try_recv(gort_ctx_done(gctx), NULL, NULL));
    CHECK_EQ_INT(gort_errgroup_wait(g), 0);
    CHECK_EQ_INT(atomic_load(&ran), N);
    CHECK_EQ_INT(atomic_load(&saw_live), N);
    CHECK_EQ_INT(atomic_load(&saw_value), N);
    CHECK_EQ_INT(gort_ctx_err(gctx), GORT_CANCELED);
    bool ok = true;
    CHECK(gort_chan_try_recv(gort_ctx_done(gctx), NULL, &ok) && !ok);
    CHECK(gort_ctx_value(gctx, &key) == &key);
    gort_ctx *after = gort_ctx_with_cancel(gctx);   /* derived after wait: ended at once */
    CHECK_EQ_INT(gort_ctx_err(after), GORT_CANCELED);
    gort_ctx_unref(after);
    gort_ctx_unref(gctx);
    gort_ctx_unref(vctx);

    /* parent cancel reaches the group's context and its members */
    gort_ctx *p = gort_ctx_with_cancel(gort_ctx_background());
    g = gort_errgroup_new(p, &gctx);
    gort_errgroup_go(g, wait_cancel, NULL);
    gort_errgroup_go(g, wait_cancel, NULL);
    gort_sleep(MS(10));
    gort_ctx_cancel(p);
    CHECK_EQ_INT(gort_errgroup_wait(g), 0);
    CHECK_EQ_INT(gort_ctx_err(gctx), GORT_CANCELED);
    gort_ctx_unref(gctx);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
