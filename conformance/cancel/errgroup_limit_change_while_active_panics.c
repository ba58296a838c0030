// Changing the limit while members of the group are active panics with the
// x/sync wording, naming how many are active; unrecovered, the process
// exits 2.
// gort-test: exit=2
// gort-test: stderr=^panic: errgroup: modify limit while 2 goroutines in the group are still active
// gort-test: stderr=^goroutine 1 \[running(, [0-9]+ ms without yielding)?\]:
#include "check.h"

static gort_chan *gate;
static _Atomic int started;

static int gated(gort_ctx *ctx, void *arg)
{
    (void)ctx; (void)arg;
    atomic_fetch_add(&started, 1);
    gort_chan_recv(gate, NULL);
    return 0;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gate = gort_chan_make(0, 0);
    gort_errgroup *g = gort_errgroup_new(gort_ctx_background(), NULL);
    gort_errgroup_limit(g, 4);
    gort_errgroup_go(g, gated, NULL);
    gort_errgroup_go(g, gated, NULL);
    while (atomic_load(&started) < 2) gort_sleep(MS(1));
    gort_errgroup_limit(g, 8);
    check_fdprintf(2, "limit changed while 2 were active\n");
    return 0;
}

GORT_MAIN(main_fn)
