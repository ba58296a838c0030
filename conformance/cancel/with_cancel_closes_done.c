// gort_ctx_with_cancel: live at first (err 0, done open: try_recv would
// block, no deadline); gort_ctx_cancel closes done (a receive returns false
// at once, for ever), sets err to GORT_CANCELED and wakes a goroutine blocked
// receiving from done; cancelling again changes nothing.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static _Atomic int woke;

static void waiter(void *arg)
{
    gort_ctx *c = arg;                  /* main's reference was passed to us */
    bool ok = gort_chan_recv(gort_ctx_done(c), NULL);
    CHECK(!ok);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    atomic_store(&woke, 1);
    gort_ctx_unref(c);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *c = gort_ctx_with_cancel(gort_ctx_background());
    CHECK(c != NULL);
    gort_chan *done = gort_ctx_done(c);
    CHECK(done != NULL);
    CHECK(gort_ctx_done(c) == done);
    CHECK_EQ_INT(gort_ctx_err(c), 0);
    CHECK(!gort_ctx_deadline(c, NULL));
    bool ok = true;
    CHECK(!gort_chan_try_recv(done, NULL, &ok));

    go(waiter, gort_ctx_ref(c));
    gort_sleep(MS(20));
    CHECK_EQ_INT(atomic_load(&woke), 0);
    CHECK_EQ_INT(gort_ctx_err(c), 0);

    gort_ctx_cancel(c);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    for (int i = 0; i < 3; i++) {
        int64_t t0 = gort_now();
        CHECK(!gort_chan_recv(done, NULL));
        CHECK_LT_INT(gort_now() - t0, MS(100));
        CHECK(gort_chan_try_recv(done, NULL, &ok));
        CHECK(!ok);
    }
    gort_ctx_cancel(c);
    CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
    CHECK_EQ_INT(gort_leakcheck(MS(2000)), 0);
    CHECK_EQ_INT(atomic_load(&woke), 1);
    gort_ctx_unref(c);
    return 0;
}

GORT_MAIN(main_fn)
