// gort_errgroup_limit(g, n): at most n members are active at once.  40
// members that each sleep 2 ms under limit 3 (and again under limit 1) never
// overlap beyond the limit (tracked with an atomic active count and its
// maximum), and all of them run.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static _Atomic int active, max_active, ran;

static int member(gort_ctx *ctx, void *arg)
{
    (void)ctx; (void)arg;
    int a = atomic_fetch_add(&active, 1) + 1;
    int m = atomic_load(&max_active);
    while (a > m && !atomic_compare_exchange_weak(&max_active, &m, a)) {}
    gort_sleep(MS(2));
    gort_yield();
    atomic_fetch_sub(&active, 1);
    atomic_fetch_add(&ran, 1);
    return 0;
}

static void run(int limit, int n)
{
    atomic_store(&max_active, 0);
    atomic_store(&ran, 0);
    gort_errgroup *g = gort_errgroup_new(gort_ctx_background(), NULL);
    gort_errgroup_limit(g, limit);
    for (int i = 0; i < n; i++) gort_errgroup_go(g, member, NULL);
    CHECK_EQ_INT(gort_errgroup_wait(g), 0);
    CHECK_EQ_INT(atomic_load(&ran), n);
    CHECK_MSG(atomic_load(&max_active) <= limit, "limit %d, %d were active at once", limit,
              atomic_load(&max_active));
    NOTE("limit %d: at most %d active\n", limit, atomic_load(&max_active));
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    run(3, 40);
    run(1, 20);
    run(8, 100);
    return 0;
}

GORT_MAIN(main_fn)
