// With the limit reached, gort_errgroup_go blocks until a member ends: two
// members under limit 2 wait on a gate; a third go, made by another
// goroutine, has not returned (and its member has not started) 50 ms later;
// when one member is released, it returns and the third member runs.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static gort_chan *gate;
static gort_errgroup *g;
static _Atomic int started, go_returned, third_ran;

static int gated(gort_ctx *ctx, void *arg)
{
    (void)ctx; (void)arg;
    atomic_fetch_add(&started, 1);
    gort_chan_recv(gate, NULL);
    return 0;
}

static int third(gort_ctx *ctx, void *arg)
{
    (void)ctx; (void)arg;
    atomic_store(&third_ran, 1);
    return 0;
}

static void adder(void *arg)
{
    gort_waitgroup *wg = arg;
    gort_errgroup_go(g, third, NULL);
    atomic_store(&go_returned, 1);
    gort_wg_done(wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gate = gort_chan_make(0, 0);
    g = gort_errgroup_new(gort_ctx_background(), NULL);
    gort_errgroup_limit(g, 2);
    gort_errgroup_go(g, gated, NULL);
    gort_errgroup_go(g, gated, NULL);        /* does not block: 2 fit */
    gort_waitgroup wg = {0};
    gort_wg_add(&wg, 1);
    go(adder, &wg);
    gort_sleep(MS(50));
    CHECK_EQ_INT(atomic_load(&started), 2);
    CHECK_MSG(atomic_load(&go_returned) == 0, "go returned while %d members were active under limit 2",
              atomic_load(&started));
    CHECK_EQ_INT(atomic_load(&third_ran), 0);
    gort_chan_send(gate, NULL);              /* release one */
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&go_returned), 1);
    gort_chan_send(gate, NULL);
    CHECK_EQ_INT(gort_errgroup_wait(g), 0);
    CHECK_EQ_INT(atomic_load(&third_ran), 1);
    gort_chan_unref(gate);
    return 0;
}

GORT_MAIN(main_fn)
