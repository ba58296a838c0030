// A panic in a non-main goroutine, recovered by one of its deferred calls:
// gort_recover returns the panic's message (exactly) once; the deferred calls
// run LIFO on that goroutine, the ones after the recovering call included
// (and their gort_recover returns NULL: the panic is over); nothing after the
// gort_panic call runs; the goroutine then ends normally (it stops being
// counted).  Meanwhile a busy goroutine keeps making progress, a parked one
// can still be woken afterwards, and main goes on to exit 0.  A second
// panicker recovers from a helper called by its deferred call (gort_recover
// works anywhere inside a deferred call's execution).
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static gort_waitgroup done;
static _Atomic int stop_busy;
static _Atomic long busy_count;
static int order[8];
static _Atomic int n_order;
static _Atomic int after_panic;
static char got[128];
static _Atomic int second_recover_null = -1, later_recover_null = -1;
static _Atomic uint64_t defer_gid[3];
static _Atomic uint64_t panicker_gid;

/* Only the first panicker calls note(): it writes the slot, then publishes
 * it (release), so main, reading n_order with acquire, may read the slots
 * below what it read — and got, which d_recover writes before its note. */
static void note(int k)
{
    int i = atomic_load_explicit(&n_order, memory_order_relaxed);
    order[i] = k;
    atomic_store_explicit(&n_order, i + 1, memory_order_release);
}
static int noted(void) { return atomic_load_explicit(&n_order, memory_order_acquire); }

static void d_first(void *arg)          /* registered first: runs last */
{
    (void)arg;
    atomic_store(&defer_gid[0], gort_id());
    atomic_store(&later_recover_null, gort_recover() == NULL);
    note(1);
    gort_wg_done(&done);
}

static void d_recover(void *arg)
{
    (void)arg;
    atomic_store(&defer_gid[1], gort_id());
    const char *m = gort_recover();
    snprintf(got, sizeof got, "%s", m ? m : "(null)");
    atomic_store(&second_recover_null, gort_recover() == NULL);   /* already recovered */
    note(2);
}

static void d_last(void *arg)           /* registered last: runs first */
{
    (void)arg;
    atomic_store(&defer_gid[2], gort_id());
    note(3);
}

static volatile int never;

static CHECK_NOINLINE void deep(int n)
{
    if (n == 0) {
        if (!never) gort_panic("boom %d in goroutine", 7);
        return;
    }
    deep(n - 1);
    atomic_store(&after_panic, 1);
}

static void panicker(void *arg)
{
    (void)arg;
    atomic_store(&panicker_gid, gort_id());
    gort_defer(d_first, NULL);
    gort_defer(d_recover, NULL);
    gort_defer(d_last, NULL);
    gort_sleep(MS(2));                  /* let the others get going */
    deep(4);
    atomic_store(&after_panic, 2);
}

/* second panicker: the recover is in a helper the deferred call calls */
static char got2[128];
static _Atomic int got2_set;            /* got2 written (release) */
static CHECK_NOINLINE const char *helper_recover(void) { return gort_recover(); }
static void d_helper(void *arg)
{
    (void)arg;
    const char *m = helper_recover();
    snprintf(got2, sizeof got2, "%s", m ? m : "(null)");
    atomic_store_explicit(&got2_set, 1, memory_order_release);
    gort_wg_done(&done);
}
static void panicker2(void *arg)
{
    (void)arg;
    gort_defer(d_helper, NULL);
    gort_panic("second panicker");
}

static void busy(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop_busy)) {
        atomic_fetch_add(&busy_count, 1);
        spin_ns(US(10));
        gort_yield();
    }
    gort_wg_done(&done);
}

static void parked(void *arg)
{
    gort_chan *c = arg;
    int v = 0;
    CHECK(gort_chan_recv(c, &v));
    CHECK_EQ_INT(v, 42);
    gort_chan_send(c, &v);              /* reply: it still works after the panic */
    gort_chan_unref(c);
    gort_wg_done(&done);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(int), 0);
    gort_wg_add(&done, 4);
    go(busy, NULL);
    go(parked, gort_chan_ref(c));
    uint64_t pid = go(panicker, NULL);
    go(panicker2, NULL);

    /* both panickers have run their deferred calls (what those wrote is
     * published with release: main reads it after an acquire load) ... */
    int64_t deadline = now_ns() + MS(5000);
    while ((noted() < 3 || !atomic_load_explicit(&got2_set, memory_order_acquire)) && now_ns() < deadline)
        gort_sleep(US(200));
    CHECK_EQ_INT(noted(), 3);
    CHECK_EQ_INT(atomic_load_explicit(&got2_set, memory_order_acquire), 1);
    /* ... and have ended (the recovering goroutines are gone) */
    while (gort_num_goroutine() > 3 && now_ns() < deadline) gort_sleep(US(200));
    CHECK_EQ_INT(gort_num_goroutine(), 3);   /* main, busy, parked */

    CHECK_MSG(strcmp(got, "boom 7 in goroutine") == 0, "recovered \"%s\"", got);
    CHECK_MSG(strcmp(got2, "second panicker") == 0, "recovered in a helper: \"%s\"", got2);
    CHECK_EQ_INT(atomic_load(&second_recover_null), 1);
    CHECK_EQ_INT(atomic_load(&later_recover_null), 1);
    CHECK_EQ_INT(noted(), 3);                /* and nothing more ran after d_first */
    CHECK_EQ_INT(order[0], 3);
    CHECK_EQ_INT(order[1], 2);
    CHECK_EQ_INT(order[2], 1);
    CHECK_EQ_INT(atomic_load(&after_panic), 0);
    CHECK_EQ_U64(atomic_load(&panicker_gid), pid);
    for (int i = 0; i < 3; i++) CHECK_EQ_U64(atomic_load(&defer_gid[i]), pid);

    /* the others go on: busy makes progress, parked answers */
    long b0 = atomic_load(&busy_count);
    int64_t until = now_ns() + MS(5000);
    while (atomic_load(&busy_count) < b0 + 100 && now_ns() < until) gort_sleep(US(500));
    CHECK_MSG(atomic_load(&busy_count) >= b0 + 100, "busy goroutine stalled after the panic (%ld -> %ld)", b0,
              atomic_load(&busy_count));
    int v = 42;
    gort_chan_send(c, &v);
    v = 0;
    CHECK(gort_chan_recv(c, &v));
    CHECK_EQ_INT(v, 42);
    atomic_store(&stop_busy, 1);
    gort_wg_wait(&done);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_chan_unref(c);
    return 0;
}

GORT_MAIN(main_fn)
