// The after-func handle keeps its context alive: once the caller drops its
// only reference to a with_cancel child (which, were it the last, would
// cancel the child), the child is not ended — fn has not run 50 ms later —
// and it is still ended by its parent's cancel_cause, when fn runs and sees
// the parent's cause through the context it was registered on.
#include "check.h"

static gort_ctx *child;
static _Atomic int ran, cause_seen = -1;
static gort_waitgroup wg;

static void fn(void *arg)
{
    (void)arg;
    atomic_store(&cause_seen, gort_ctx_cause(child));
    atomic_store(&ran, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *p = gort_ctx_with_cancel_cause(gort_ctx_background());
    child = gort_ctx_with_cancel(p);
    gort_wg_add(&wg, 1);
    gort_afterfunc *a = gort_ctx_after_func(child, fn, NULL);
    gort_ctx_unref(child);                       /* the handle's reference remains */
    gort_sleep(MS(50));
    CHECK_MSG(atomic_load(&ran) == 0, "fn ran when the caller dropped its reference to the context");
    gort_ctx_cancel_cause(p, 1601);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&cause_seen), 1601);
    CHECK(!gort_afterfunc_stop(a));
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
