// errgroup.SetLimit may be called again once the group's goroutines have
// all ended (Go panics only while some are active): at GOMAXPROCS=1, with
// preemption off so the member runs to its end in one go, main starts a
// member under a limit of 2, yields until it has ended, and changes the
// limit to 3 and then to unlimited without a panic; a member started
// under the new limit runs.  (While one is active, changing the limit
// panics: errgroup_limit_change_while_active_panics.)
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
#include "check.h"

static _Atomic int ran;

static int member(gort_ctx *ctx, void *arg)
{
    (void)ctx; (void)arg;
    atomic_fetch_add(&ran, 1);
    return 0;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_errgroup *g = gort_errgroup_new(NULL, NULL);
    gort_errgroup_limit(g, 2);
    gort_errgroup_go(g, member, NULL);
    int64_t end = now_ns() + MS(10000);
    while (atomic_load(&ran) < 1) {
        CHECK_MSG(now_ns() < end, "the member never ran");
        gort_yield();
    }
    gort_yield();   /* one P: the member has finished its bookkeeping too */
    gort_errgroup_limit(g, 3);
    gort_errgroup_limit(g, -1);
    gort_errgroup_go(g, member, NULL);
    CHECK_EQ_INT(gort_errgroup_wait(g), 0);
    CHECK_EQ_INT(atomic_load(&ran), 2);
    return 0;
}

GORT_MAIN(main_fn)
