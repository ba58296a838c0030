// try_recv returns false when a receive would block (empty open buffer,
// unbuffered with no sender); otherwise it receives and returns true, with
// *ok true for a value and, once the channel is closed and drained, *ok false
// and elem zero-filled (again and again).  ok may be NULL.  A sender blocked
// on an unbuffered channel is a value try_recv can take.
#include "check.h"

static gort_chan *u;
static gort_waitgroup wg;

static void sender(void *arg)
{
    (void)arg;
    int64_t v = 99;
    gort_chan_send(u, &v);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(int64_t), 2);
    int64_t v = 5;
    bool ok = true;
    CHECK(!gort_chan_try_recv(c, &v, &ok));
    CHECK(!gort_chan_try_recv(c, &v, NULL));
    CHECK(!gort_chan_try_recv(c, NULL, NULL));
    CHECK_EQ_INT(v, 5);           /* nothing received, nothing written */

    int64_t a = 11, b = 22;
    gort_chan_send(c, &a);
    gort_chan_send(c, &b);
    ok = false;
    v = 0;
    CHECK(gort_chan_try_recv(c, &v, &ok));
    CHECK(ok);
    CHECK_EQ_INT(v, 11);
    gort_chan_send(c, &a);
    gort_chan_close(c);
    v = 0;
    CHECK(gort_chan_try_recv(c, &v, NULL));  /* ok NULL, buffered value after close */
    CHECK_EQ_INT(v, 22);
    ok = false;
    CHECK(gort_chan_try_recv(c, &v, &ok));
    CHECK(ok);
    CHECK_EQ_INT(v, 11);
    for (int i = 0; i < 100; i++) {
        ok = true;
        v = -1;
        CHECK_MSG(gort_chan_try_recv(c, &v, &ok), "try_recv on a closed, drained channel would block");
        CHECK(!ok);
        CHECK_EQ_INT(v, 0);
        v = -1;
        CHECK(gort_chan_try_recv(c, &v, NULL));
        CHECK_EQ_INT(v, 0);
    }
    gort_chan_unref(c);

    /* unbuffered */
    u = gort_chan_make(sizeof(int64_t), 0);
    CHECK(!gort_chan_try_recv(u, &v, &ok));
    gort_wg_add(&wg, 1);
    go(sender, NULL);
    int64_t end = now_ns() + 5000000000LL;
    bool got = false;
    ok = false;
    v = 0;
    while (!(got = gort_chan_try_recv(u, &v, &ok)) && now_ns() < end) gort_sleep(US(200));
    CHECK_MSG(got, "try_recv never took the blocked sender's value");
    CHECK(ok);
    CHECK_EQ_INT(v, 99);
    gort_wg_wait(&wg);
    CHECK(!gort_chan_try_recv(u, &v, &ok));
    gort_chan_close(u);
    ok = true;
    v = 7;
    CHECK(gort_chan_try_recv(u, &v, &ok));
    CHECK(!ok);
    CHECK_EQ_INT(v, 0);
    gort_chan_unref(u);
    return 0;
}

GORT_MAIN(main_fn)
