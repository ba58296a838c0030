// An after-func runs exactly once, in a goroutine of its own: registered on
// a child context, fn runs once although the child is canceled, then its
// parent, then the child again (and a second after-func on the same
// context runs once too); each runs on a new goroutine — not the
// canceler's, not the other fn's — with the arg it was given.
#include "check.h"

static _Atomic int runs[2];
static _Atomic uint64_t ran_on[2];
static gort_waitgroup wg;

static void fn(void *arg)
{
    int k = (int)(intptr_t)arg;
    atomic_fetch_add(&runs[k], 1);
    atomic_store(&ran_on[k], gort_id());
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *p = gort_ctx_with_cancel_cause(gort_ctx_background());
    gort_ctx *c = gort_ctx_with_cancel(p);
    gort_wg_add(&wg, 2);
    gort_afterfunc *a0 = gort_ctx_after_func(c, fn, (void *)(intptr_t)0);
    gort_afterfunc *a1 = gort_ctx_after_func(c, fn, (void *)(intptr_t)1);
    gort_ctx_cancel(c);
    gort_ctx_cancel_cause(p, 7);
    gort_ctx_cancel(c);
    gort_wg_wait(&wg);
    gort_sleep(MS(50));                          /* time for a second run to show */
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    CHECK_EQ_INT(atomic_load(&runs[0]), 1);
    CHECK_EQ_INT(atomic_load(&runs[1]), 1);
    uint64_t g0 = atomic_load(&ran_on[0]), g1 = atomic_load(&ran_on[1]);
    CHECK(g0 != 0 && g1 != 0);
    CHECK_MSG(g0 != gort_id() && g1 != gort_id(), "an after-func ran on the canceling goroutine");
    CHECK_MSG(g0 != g1, "both after-funcs ran on goroutine %llu", (unsigned long long)g0);
    CHECK(!gort_afterfunc_stop(a0));
    CHECK(!gort_afterfunc_stop(a1));
    gort_ctx_unref(c);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
