// An after-func on a context that can never end — the background, a value
// context over it, a without_cancel context (even after its parent was
// canceled) — never runs (not within 50 ms), and stop returns true for
// each.
#include "check.h"

static int key;
static _Atomic int ran;

static void fn(void *arg) { (void)arg; atomic_fetch_add(&ran, 1); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *p = gort_ctx_with_cancel(gort_ctx_background());
    gort_ctx *w = gort_ctx_without_cancel(p);
    gort_ctx *v = gort_ctx_with_value(gort_ctx_background(), &key, NULL);
    gort_afterfunc *a_bg = gort_ctx_after_func(gort_ctx_background(), fn, NULL);
    gort_afterfunc *a_v = gort_ctx_after_func(v, fn, NULL);
    gort_afterfunc *a_w = gort_ctx_after_func(w, fn, NULL);
    gort_ctx_cancel(p);
    gort_sleep(MS(50));
    CHECK_EQ_INT(atomic_load(&ran), 0);
    CHECK_EQ_INT(gort_num_goroutine(), 1);
    CHECK(gort_afterfunc_stop(a_bg));
    CHECK(gort_afterfunc_stop(a_v));
    CHECK(gort_afterfunc_stop(a_w));
    gort_ctx_unref(v);
    gort_ctx_unref(w);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
