// gort_exit from a goroutine (called from a nested function) runs that
// goroutine's deferred calls in LIFO order first, then ends it: nothing after
// the gort_exit call runs.
#include "check.h"

static gort_waitgroup wg;
static int order[8];
static _Atomic int n_order;
static _Atomic int after_exit;
static _Atomic uint64_t defer_ids[3];
static uint64_t gid;

static void deferred(void *arg)
{
    intptr_t k = (intptr_t)arg;
    atomic_store(&defer_ids[k - 1], gort_id());
    order[atomic_fetch_add(&n_order, 1)] = (int)k;
    if (k == 1) gort_wg_done(&wg);       /* the last one to run */
}

static volatile int never;

static CHECK_NOINLINE void nested(int depth)
{
    if (depth == 0) {
        if (!never) gort_exit();
        return;
    }
    nested(depth - 1);
    atomic_store(&after_exit, 1);
}

static void body(void *arg)
{
    (void)arg;
    gid = gort_id();
    gort_defer(deferred, (void *)1);
    gort_defer(deferred, (void *)2);
    gort_defer(deferred, (void *)3);
    nested(5);
    atomic_store(&after_exit, 2);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 1);
    uint64_t id = go(body, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    CHECK_EQ_INT(atomic_load(&n_order), 3);
    CHECK_EQ_INT(order[0], 3);
    CHECK_EQ_INT(order[1], 2);
    CHECK_EQ_INT(order[2], 1);
    CHECK_EQ_INT(atomic_load(&after_exit), 0);
    for (int i = 0; i < 3; i++) CHECK_EQ_U64(atomic_load(&defer_ids[i]), id);  /* run on the exiting goroutine */
    CHECK_EQ_U64(gid, id);
    return 0;
}

GORT_MAIN(main_fn)
