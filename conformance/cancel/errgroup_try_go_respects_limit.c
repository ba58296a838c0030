// gort_errgroup_try_go starts fn only while that keeps the group within its
// limit, and never blocks (x/sync's TestTryGo, one group per phase since
// gort_errgroup_wait frees the group): under limit 42, 42 try_go calls
// succeed while their members block, the 43rd fails (and its fn never
// runs); once the members finish, wait returns 0.  Under limit 1: one
// succeeds, the next fails while it is active, and succeeds again after it
// ended (the slot is given back).
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define N 42

static gort_chan *ch;
static _Atomic int ran, active;

static int fn(gort_ctx *ctx, void *arg)
{
    (void)ctx; (void)arg;
    atomic_fetch_add(&ran, 1);
    atomic_fetch_add(&active, 1);
    gort_chan_send(ch, NULL);
    atomic_fetch_sub(&active, 1);
    return 0;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    ch = gort_chan_make(0, 0);

    gort_errgroup *g = gort_errgroup_new(gort_ctx_background(), NULL);
    gort_errgroup_limit(g, N);
    for (int i = 0; i < N; i++)
        CHECK_MSG(gort_errgroup_try_go(g, fn, NULL), "try_go failed at call %d of %d under limit %d", i, N, N);
    CHECK_MSG(!gort_errgroup_try_go(g, fn, NULL), "try_go succeeded beyond the limit");
    for (int i = 0; i < N; i++) gort_chan_recv(ch, NULL);
    CHECK_EQ_INT(gort_errgroup_wait(g), 0);
    CHECK_EQ_INT(atomic_load(&ran), N);

    atomic_store(&ran, 0);
    g = gort_errgroup_new(gort_ctx_background(), NULL);
    gort_errgroup_limit(g, 1);
    CHECK(gort_errgroup_try_go(g, fn, NULL));
    while (atomic_load(&active) == 0) gort_yield();      /* the member is running */
    CHECK_MSG(!gort_errgroup_try_go(g, fn, NULL), "try_go succeeded with the one slot taken");
    gort_chan_recv(ch, NULL);
    /* the member is ending; its slot comes back */
    int64_t end = gort_now() + MS(10000);
    bool started = false;
    while (!(started = gort_errgroup_try_go(g, fn, NULL)) && gort_now() < end) gort_sleep(US(200));
    CHECK_MSG(started, "try_go still failing 10 s after the only member ended");
    gort_chan_recv(ch, NULL);
    CHECK_EQ_INT(gort_errgroup_wait(g), 0);
    CHECK_EQ_INT(atomic_load(&ran), 2);
    gort_chan_unref(ch);
    return 0;
}

GORT_MAIN(main_fn)
