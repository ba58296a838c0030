// gort_errgroup_limit(g, n < 0) removes a limit set before: 64 members that
// all wait on one gate are all active at once (go never blocks), then all
// finish when the gate closes.
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

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gate = gort_chan_make(0, 0);
    gort_errgroup *g = gort_errgroup_new(gort_ctx_background(), NULL);
    gort_errgroup_limit(g, 2);
    gort_errgroup_limit(g, -1);
    for (int i = 0; i < N; i++) gort_errgroup_go(g, gated, NULL);
    int64_t end = gort_now() + MS(2000);
    while (atomic_load(&active) < N && gort_now() < end) gort_sleep(MS(1));
    CHECK_EQ_INT(atomic_load(&active), N);
    gort_chan_close(gate);
    CHECK_EQ_INT(gort_errgroup_wait(g), 0);
    gort_chan_unref(gate);
    return 0;
}

GORT_MAIN(main_fn)
