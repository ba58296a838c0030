// Dropping the last reference to a cancelable context cancels it: a
// goroutine blocked receiving on its done channel (holding its own
// reference on that channel, since done is borrowed from the context) wakes
// with false when the creator drops the only context reference.  The same
// for a timeout context, long before its deadline.  While another reference
// is held, an unref cancels nothing.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static gort_waitgroup started, finished;
static _Atomic int woke;

static void waiter(void *arg)
{
    gort_chan *done = arg;              /* a reference of our own */
    gort_wg_done(&started);
    CHECK(!gort_chan_recv(done, NULL));
    atomic_fetch_add(&woke, 1);
    gort_chan_unref(done);
    gort_wg_done(&finished);
}

static void case_one(gort_ctx *c)
{
    atomic_store(&woke, 0);
    gort_wg_add(&started, 1);
    gort_wg_add(&finished, 1);
    go(waiter, gort_chan_ref(gort_ctx_done(c)));
    gort_wg_wait(&started);

    gort_ctx *extra = gort_ctx_ref(c);
    gort_ctx_unref(c);                  /* not the last */
    gort_sleep(MS(20));
    CHECK_EQ_INT(gort_ctx_err(extra), 0);
    CHECK_EQ_INT(atomic_load(&woke), 0);

    gort_ctx_unref(extra);              /* the last: cancels */
    int64_t t0 = gort_now();
    gort_wg_wait(&finished);
    CHECK_EQ_INT(atomic_load(&woke), 1);
    CHECK_MSG(gort_now() - t0 < MS(1000), "woke %lld ms after the last unref",
              (long long)((gort_now() - t0) / 1000000));
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    case_one(gort_ctx_with_cancel(gort_ctx_background()));
    case_one(gort_ctx_with_timeout(gort_ctx_background(), MS(60000)));
    gort_ctx *p = gort_ctx_with_cancel(gort_ctx_background());
    case_one(gort_ctx_with_cancel(p));  /* a child: only it ends */
    CHECK_EQ_INT(gort_ctx_err(p), 0);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
