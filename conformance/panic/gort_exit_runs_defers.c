// gort_exit from a non-main goroutine (called from a nested function) runs
// that goroutine's deferred calls LIFO, on that goroutine, and the deferred
// calls may park: one sleeps, one waits on a channel receive until main
// sends.  While it is parked in its deferred call the goroutine still exists
// (counted, and listed by gort_dump as `[chan receive]`) and everyone else
// goes on (a counter goroutine keeps counting, main runs).  A deferred call
// that defers another gets it run right after itself, as a defer inside a
// deferred function does in Go.  Then the goroutine ends — only it: nothing
// after the gort_exit call runs, and the program goes on to exit 0.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static gort_chan *in;
static int order[8];
static _Atomic int n_order;
static _Atomic int after_exit;
static _Atomic int in_receive;
static _Atomic int received = -1;
static _Atomic uint64_t defer_gid[5];
static _Atomic long counter;
static _Atomic int stop;
static gort_waitgroup fin;

/* Only the quitter calls note(): it writes the slot, then publishes it
 * (release), so main, reading n_order with acquire, may read the slots
 * below what it read. */
static void note(int k)
{
    int i = atomic_load_explicit(&n_order, memory_order_relaxed);
    order[i] = k;
    atomic_store_explicit(&n_order, i + 1, memory_order_release);
}
static int noted(void) { return atomic_load_explicit(&n_order, memory_order_acquire); }

static void d1(void *arg) { (void)arg; atomic_store(&defer_gid[0], gort_id()); note(1); gort_wg_done(&fin); }
static void d2(void *arg)
{
    (void)arg;
    atomic_store(&defer_gid[1], gort_id());
    atomic_store(&in_receive, 1);
    int v = 0;
    CHECK(gort_chan_recv(in, &v));      /* parks until main sends */
    atomic_store(&received, v);
    note(2);
}
static void d3(void *arg) { (void)arg; atomic_store(&defer_gid[2], gort_id()); gort_sleep(MS(5)); note(3); }
static void d4b(void *arg) { (void)arg; atomic_store(&defer_gid[4], gort_id()); note(40); }
static void d4(void *arg) { (void)arg; atomic_store(&defer_gid[3], gort_id()); gort_defer(d4b, NULL); note(4); }

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

static void quitter(void *arg)
{
    (void)arg;
    gort_defer(d1, NULL);
    gort_defer(d2, NULL);
    gort_defer(d3, NULL);
    gort_defer(d4, NULL);
    nested(3);
    atomic_store(&after_exit, 2);
}

static void count(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        atomic_fetch_add(&counter, 1);
        gort_sleep(US(100));
    }
    gort_wg_done(&fin);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    in = gort_chan_make(sizeof(int), 0);
    gort_wg_add(&fin, 2);
    go(count, NULL);
    uint64_t q = go(quitter, NULL);

    int64_t deadline = now_ns() + MS(5000);
    while (!atomic_load(&in_receive) && now_ns() < deadline) gort_sleep(US(200));
    CHECK_MSG(atomic_load(&in_receive), "the deferred call with the receive never ran");
    gort_sleep(MS(10));                 /* let it park */

    /* parked inside its deferred call: still a goroutine, waiting on the channel */
    CHECK_EQ_INT(gort_num_goroutine(), 3);
    char *dump = dump_to_string();
    CHECK(dump != NULL);
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [chan receive", (unsigned long long)q);
    CHECK_MSG(strstr(dump, head) != NULL, "no \"%s\" in dump:\n%.900s", head, dump);
    free(dump);
    CHECK_EQ_INT(noted(), 3);                        /* 4, 4b, 3 so far */

    /* the others go on meanwhile */
    long c0 = atomic_load(&counter);
    gort_sleep(MS(20));
    CHECK_MSG(atomic_load(&counter) > c0, "the counter goroutine stalled (%ld)", c0);

    int v = 77;
    gort_chan_send(in, &v);
    deadline = now_ns() + MS(5000);
    while (noted() < 5 && now_ns() < deadline) gort_sleep(US(200));
    CHECK_EQ_INT(noted(), 5);                        /* the slots it wrote are ours to read */
    while (gort_num_goroutine() > 2 && now_ns() < deadline) gort_sleep(US(200));
    CHECK_EQ_INT(gort_num_goroutine(), 2);           /* main and the counter */
    CHECK_EQ_INT(noted(), 5);                        /* and nothing more ran after d1 */
    CHECK_EQ_INT(atomic_load(&received), 77);
    CHECK_EQ_INT(order[0], 4);
    CHECK_EQ_INT(order[1], 40);
    CHECK_EQ_INT(order[2], 3);
    CHECK_EQ_INT(order[3], 2);
    CHECK_EQ_INT(order[4], 1);
    CHECK_EQ_INT(atomic_load(&after_exit), 0);
    for (int i = 0; i < 5; i++) CHECK_EQ_U64(atomic_load(&defer_gid[i]), q);

    atomic_store(&stop, 1);
    gort_wg_wait(&fin);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_chan_unref(in);
    return 0;
}

GORT_MAIN(main_fn)
