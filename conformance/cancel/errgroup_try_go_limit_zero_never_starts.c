// With limit 0 no member may ever start: 1024 gort_errgroup_try_go calls
// all return false at once and their fn never runs; gort_errgroup_go, in
// contrast, blocks (a goroutine calling it has not returned 50 ms later).
#include "check.h"

static _Atomic int ran, go_returned;
static gort_errgroup *g;

static int fn(gort_ctx *ctx, void *arg) { (void)ctx; (void)arg; atomic_fetch_add(&ran, 1); return 0; }

static void blocked_go(void *arg)
{
    (void)arg;
    gort_errgroup_go(g, fn, NULL);
    atomic_store(&go_returned, 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    g = gort_errgroup_new(gort_ctx_background(), NULL);
    gort_errgroup_limit(g, 0);
    for (int i = 0; i < 1024; i++)
        CHECK_MSG(!gort_errgroup_try_go(g, fn, NULL), "try_go call %d succeeded under limit 0", i);
    go(blocked_go, NULL);
    gort_sleep(MS(50));
    CHECK_EQ_INT(atomic_load(&go_returned), 0);
    CHECK_EQ_INT(atomic_load(&ran), 0);
    /* the group is left as it is: its blocked go still uses it */
    return 0;
}

GORT_MAIN(main_fn)
