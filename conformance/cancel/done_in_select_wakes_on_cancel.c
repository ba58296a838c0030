// gort_ctx_done works in gort_select: goroutines blocked in a select on a
// context's done and another channel (that never becomes ready) wake when
// the context is canceled — within a generous 50 ms — and the done case is
// the one chosen, with ok false.  The same for a timeout's done.  Before the
// cancel, a non-blocking select sees no case ready.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define G 4

static gort_ctx *ctx;
static gort_chan *other;
static gort_waitgroup ready, finished;
static _Atomic int64_t woke_at[G];
static _Atomic int chosen[G], okv[G];

static void waiter(void *arg)
{
    intptr_t i = (intptr_t)arg;
    gort_ctx *c = gort_ctx_ref(ctx);
    int x;
    gort_case cs[2] = {
        { GORT_RECV, other, &x, false },
        { GORT_RECV, gort_ctx_done(c), NULL, true },
    };
    gort_wg_done(&ready);
    int r = gort_select(cs, 2, true);
    atomic_store(&woke_at[i], gort_now());
    atomic_store(&chosen[i], r);
    atomic_store(&okv[i], cs[1].ok);
    gort_ctx_unref(c);
    gort_wg_done(&finished);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    other = gort_chan_make(sizeof(int), 0);
    ctx = gort_ctx_with_cancel(gort_ctx_background());
    {
        gort_case cs[2] = {
            { GORT_RECV, other, NULL, false },
            { GORT_RECV, gort_ctx_done(ctx), NULL, false },
        };
        CHECK_EQ_INT(gort_select(cs, 2, false), -1);
    }
    gort_wg_add(&ready, G);
    gort_wg_add(&finished, G);
    for (intptr_t i = 0; i < G; i++) go(waiter, (void *)i);
    gort_wg_wait(&ready);
    gort_sleep(MS(30));                    /* they are parked in the select */
    for (int i = 0; i < G; i++) CHECK_EQ_INT(atomic_load(&woke_at[i]), 0);
    int64_t t0 = gort_now();
    gort_ctx_cancel(ctx);
    gort_wg_wait(&finished);
    for (int i = 0; i < G; i++) {
        int64_t lat = atomic_load(&woke_at[i]) - t0;
        CHECK_EQ_INT(atomic_load(&chosen[i]), 1);
        CHECK_EQ_INT(atomic_load(&okv[i]), 0);
        CHECK_MSG(lat < MS(50), "waiter %d woke %lld us after the cancel", i, (long long)(lat / 1000));
    }
    gort_ctx_unref(ctx);

    /* a timeout's done in a select, against the other channel */
    int64_t s = gort_now();   /* before the deadline is computed from the clock */
    gort_ctx *t = gort_ctx_with_timeout(gort_ctx_background(), MS(20));
    gort_case cs[2] = {
        { GORT_RECV, gort_ctx_done(t), NULL, true },
        { GORT_RECV, other, NULL, false },
    };
    CHECK_EQ_INT(gort_select(cs, 2, true), 0);
    CHECK(!cs[0].ok);
    CHECK_GE_INT(gort_now() - s, MS(20));
    CHECK_EQ_INT(gort_ctx_err(t), GORT_DEADLINE_EXCEEDED);
    gort_ctx_unref(t);
    gort_chan_unref(other);
    return 0;
}

GORT_MAIN(main_fn)
