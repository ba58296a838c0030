// A gort_wg_go goroutine that ends with gort_exit is still marked done,
// after the calls it deferred: fn defers a call, then calls gort_exit (the
// code after it never runs); gort_wg_wait (in a helper goroutine, which
// main gives 10 s) returns, with the deferred call already run.
#include "check.h"

static _Atomic int deferred_ran, after_exit;
static gort_waitgroup wg;

static void deferred(void *arg) { (void)arg; gort_sleep(MS(20)); atomic_store(&deferred_ran, 1); }

static void fn(void *arg)
{
    (void)arg;
    gort_defer(deferred, NULL);
    gort_exit();
    atomic_store(&after_exit, 1);
}

static void waiter(void *arg)
{
    gort_chan *done = arg;
    gort_wg_wait(&wg);
    CHECK_MSG(atomic_load(&deferred_ran) == 1, "wait returned before fn's deferred call ran");
    gort_chan_send(done, NULL);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *done = gort_chan_make(0, 1);
    gort_wg_go(&wg, fn, NULL);
    go(waiter, done);
    gort_chan *t = gort_after(MS(10000));
    gort_case cs[2] = { { GORT_RECV, done, NULL, false }, { GORT_RECV, t, NULL, false } };
    int r = gort_select(cs, 2, true);
    CHECK_MSG(r == 0, "gort_wg_wait did not return within 10 s after fn called gort_exit");
    CHECK_EQ_INT(atomic_load(&after_exit), 0);
    gort_chan_unref(t);
    gort_chan_unref(done);
    return 0;
}

GORT_MAIN(main_fn)
