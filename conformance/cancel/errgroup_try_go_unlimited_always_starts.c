// Without a limit (never set, or removed with a negative one)
// gort_errgroup_try_go always starts fn: 64 calls return true while all 64
// members block on one gate, all of them run at once; wait returns 0 after
// the gate opens.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define N 64

static gort_chan *gate;
static _Atomic int active;

static int gated(gort_ctx *ctx, void *arg)
{
    (void)ctx; (void)arg;
    atomic_fetch_add(&active, 1);
    gort_chan_recv(gate, NULL);
    return 0;
}

static void run(bool set_then_remove)
{
    atomic_store(&active, 0);
    gate = gort_chan_make(0, 0);
    gort_errgroup *g = gort_errgroup_new(gort_ctx_background(), NULL);
    if (set_then_remove) {
        gort_errgroup_limit(g, 1);
        gort_errgroup_limit(g, -1);
    }
    for (int i = 0; i < N; i++) CHECK_MSG(gort_errgroup_try_go(g, gated, NULL), "try_go %d failed", i);
    int64_t end = gort_now() + MS(10000);
    while (atomic_load(&active) < N && gort_now() < end) gort_sleep(MS(1));
    CHECK_EQ_INT(atomic_load(&active), N);
    gort_chan_close(gate);
    CHECK_EQ_INT(gort_errgroup_wait(g), 0);
    gort_chan_unref(gate);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    run(false);
    run(true);
    return 0;
}

GORT_MAIN(main_fn)
