// The channel panics are ordinary panics: a deferred call recovers each of
// `send on closed channel` (send and try_send), `close of nil channel` and
// `close of closed channel`, the goroutine ends normally and the program goes
// on (exit 0).  The channels stay usable after the recovered panics (each
// panic left its channel unlocked): receives on them return at once (closed),
// and a second goroutine's close of the closed one panics again, also
// recovered.
#include "check.h"

static gort_waitgroup wg;
static char msgs[4][128];
static gort_chan *c1, *c2, *c3;   /* closed by main before the goroutines run */

static void rec(void *arg)
{
    char *out = (char *)arg;
    const char *m = gort_recover();
    snprintf(out, 128, "%s", m ? m : "(none)");
    gort_wg_done(&wg);
}

static void do_send(void *arg)
{
    gort_defer(rec, arg);
    int v = 1;
    gort_chan_send(c1, &v);
}

static void do_try_send(void *arg)
{
    gort_defer(rec, arg);
    int v = 1;
    (void)gort_chan_try_send(c2, &v);
}

static void do_close_nil(void *arg)
{
    gort_defer(rec, arg);
    gort_chan_close(NULL);
}

static void do_close_closed(void *arg)
{
    gort_defer(rec, arg);
    gort_chan_close(c3);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    c1 = gort_chan_make(sizeof(int), 1);
    c2 = gort_chan_make(sizeof(int), 0);
    c3 = gort_chan_make(0, 0);
    gort_chan_close(c1);
    gort_chan_close(c2);
    gort_chan_close(c3);
    gort_wg_add(&wg, 4);
    go(do_send, msgs[0]);
    go(do_try_send, msgs[1]);
    go(do_close_nil, msgs[2]);
    go(do_close_closed, msgs[3]);
    gort_wg_wait(&wg);
    CHECK_STR_CONTAINS(msgs[0], "send on closed channel");
    CHECK_STR_CONTAINS(msgs[1], "send on closed channel");
    CHECK_STR_CONTAINS(msgs[2], "close of nil channel");
    CHECK_STR_CONTAINS(msgs[3], "close of closed channel");

    int v = -1;
    CHECK(!gort_chan_recv(c1, &v));
    CHECK_EQ_INT(v, 0);
    CHECK(!gort_chan_recv(c2, &v));
    CHECK(!gort_chan_recv(c3, NULL));
    CHECK_EQ_U64(gort_chan_len(c1), 0);
    msgs[3][0] = 0;
    gort_wg_add(&wg, 1);
    go(do_close_closed, msgs[3]);
    gort_wg_wait(&wg);
    CHECK_STR_CONTAINS(msgs[3], "close of closed channel");
    gort_chan_unref(c1);
    gort_chan_unref(c2);
    gort_chan_unref(c3);
    return 0;
}

GORT_MAIN(main_fn)
