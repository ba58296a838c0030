// gort_afterfunc_stop racing with the context's cancellation: exactly one
// of them wins — either stop returns true and fn never runs, or stop
// returns false and fn runs (once).  2000 rounds (400 under
// ThreadSanitizer) with cancel in one goroutine and stop in another,
// started together (in a random order, each after a random spin of up to
// 3 us, so that both outcomes occur); at the end the number of fn runs
// equals the number of stops that returned false, and each round's fn ran
// at most once.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define ROUNDS 2000

static _Atomic int runs[ROUNDS];
static _Atomic int stop_false;
static gort_waitgroup wg;

typedef struct round {
    gort_ctx *ctx;
    gort_afterfunc *a;
    gort_chan *start;
    int64_t cancel_spin, stop_spin;
} round_t;

static void fn(void *arg) { atomic_fetch_add(&runs[(intptr_t)arg], 1); }

static void canceler(void *arg)
{
    round_t *r = arg;
    gort_chan_recv(r->start, NULL);
    spin_ns(r->cancel_spin);
    gort_ctx_cancel(r->ctx);
    gort_wg_done(&wg);
}

static void stopper(void *arg)
{
    round_t *r = arg;
    gort_chan_recv(r->start, NULL);
    spin_ns(r->stop_spin);
    if (!gort_afterfunc_stop(r->a)) atomic_fetch_add(&stop_false, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int rounds = CHECK_TSAN ? ROUNDS / 5 : ROUNDS;
    uint64_t seed = (uint64_t)now_ns();
    for (intptr_t i = 0; i < rounds; i++) {
        round_t r;
        r.ctx = gort_ctx_with_cancel(gort_ctx_background());
        r.a = gort_ctx_after_func(r.ctx, fn, (void *)i);
        r.start = gort_chan_make(0, 0);
        r.cancel_spin = (int64_t)(rand_next(&seed) % 3000);
        r.stop_spin = (int64_t)(rand_next(&seed) % 3000);
        gort_wg_add(&wg, 2);
        if (rand_next(&seed) & 1) {
            go(canceler, &r);
            go(stopper, &r);
        } else {
            go(stopper, &r);
            go(canceler, &r);
        }
        gort_chan_close(r.start);
        gort_wg_wait(&wg);
        gort_chan_unref(r.start);
        gort_ctx_unref(r.ctx);
    }
    /* every fn that was started has ended */
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(10000)), 1);
    int total = 0;
    for (int i = 0; i < rounds; i++) {
        int n = atomic_load(&runs[i]);
        CHECK_MSG(n <= 1, "round %d: fn ran %d times", i, n);
        total += n;
    }
    NOTE("%d of %d rounds: fn ran (stop lost the race)\n", total, rounds);
    CHECK_MSG(total == atomic_load(&stop_false), "fn ran %d times, stop returned false %d times", total,
              atomic_load(&stop_false));
    return 0;
}

GORT_MAIN(main_fn)
