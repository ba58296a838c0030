// An after-func registered on a context below a cancelable ancestor (a
// value context over a with_cancel child of p) runs when p is canceled and
// the end reaches it; one registered on the same context and stopped
// before does not run; fn sees the context ended with p's cause.
#include "check.h"

static int key;
static gort_ctx *v;
static _Atomic int ran_a, ran_b, cause_seen = -1;
static gort_waitgroup wg;

static void fa(void *arg) { (void)arg; atomic_store(&cause_seen, gort_ctx_cause(v)); atomic_store(&ran_a, 1); gort_wg_done(&wg); }
static void fb(void *arg) { (void)arg; atomic_store(&ran_b, 1); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *p = gort_ctx_with_cancel_cause(gort_ctx_background());
    gort_ctx *c = gort_ctx_with_cancel(p);
    v = gort_ctx_with_value(c, &key, NULL);
    gort_wg_add(&wg, 1);
    gort_afterfunc *a = gort_ctx_after_func(v, fa, NULL);
    gort_afterfunc *b = gort_ctx_after_func(v, fb, NULL);
    CHECK(gort_afterfunc_stop(b));
    gort_sleep(MS(20));
    CHECK_EQ_INT(atomic_load(&ran_a), 0);
    gort_ctx_cancel_cause(p, 1501);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&cause_seen), 1501);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    CHECK_EQ_INT(atomic_load(&ran_b), 0);
    CHECK(!gort_afterfunc_stop(a));
    gort_ctx_unref(v);
    gort_ctx_unref(c);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
