// Closing a channel wakes every blocked sender and each panics `send on
// closed channel`: 10 senders blocked on a full buffered channel and 10 on an
// unbuffered one each recover that message in a deferred call.  The values
// buffered before the close are still received; none of the panicking
// senders' values is.
#include "check.h"

#define S 10

static gort_chan *u, *b;
static _Atomic int recovered, returned_normally, other;
static gort_waitgroup wg;

static void rec(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    if (m && strstr(m, "send on closed channel")) atomic_fetch_add(&recovered, 1);
    else if (m) atomic_fetch_add(&other, 1);
    gort_wg_done(&wg);
}

static void sender(void *arg)
{
    gort_chan *c = (gort_chan *)arg;
    gort_defer(rec, NULL);
    int64_t v = 1000;
    gort_chan_send(c, &v);
    atomic_fetch_add(&returned_normally, 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    u = gort_chan_make(sizeof(int64_t), 0);
    b = gort_chan_make(sizeof(int64_t), 2);
    int64_t v = 1;
    gort_chan_send(b, &v);
    v = 2;
    gort_chan_send(b, &v);
    gort_wg_add(&wg, 2 * S);
    for (int i = 0; i < S; i++) {
        go(sender, u);
        go(sender, b);
    }
    gort_sleep(MS(50));
    CHECK_EQ_INT(atomic_load(&returned_normally), 0);
    CHECK_EQ_INT(atomic_load(&recovered), 0);
    gort_chan_close(u);
    gort_chan_close(b);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&returned_normally), 0);
    CHECK_EQ_INT(atomic_load(&other), 0);
    CHECK_EQ_INT(atomic_load(&recovered), 2 * S);
    CHECK_EQ_INT(gort_chan_len(b), 2);
    int64_t r = 0;
    CHECK(gort_chan_recv(b, &r));
    CHECK_EQ_INT(r, 1);
    CHECK(gort_chan_recv(b, &r));
    CHECK_EQ_INT(r, 2);
    CHECK(!gort_chan_recv(b, &r));
    CHECK(!gort_chan_recv(u, &r));
    gort_chan_unref(u);
    gort_chan_unref(b);
    return 0;
}

GORT_MAIN(main_fn)
