// try_send returns false when a send would block: unbuffered with no receiver
// waiting, buffered and full (nothing is enqueued then).  It returns true and
// delivers the value when there is room or a receiver blocked on an
// unbuffered channel.
#include "check.h"

static gort_chan *u;
static int64_t got_val;
static gort_waitgroup wg;

static void receiver(void *arg)
{
    (void)arg;
    int64_t v = 0;
    CHECK(gort_chan_recv(u, &v));
    got_val = v;
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int64_t v = 1;
    u = gort_chan_make(sizeof(int64_t), 0);
    for (int i = 0; i < 100; i++) CHECK(!gort_chan_try_send(u, &v));
    CHECK_EQ_INT(gort_chan_len(u), 0);

    gort_wg_add(&wg, 1);
    go(receiver, NULL);
    v = 31337;
    int64_t end = now_ns() + 5000000000LL;
    bool sent = false;
    while (!(sent = gort_chan_try_send(u, &v)) && now_ns() < end) gort_sleep(US(200));
    CHECK_MSG(sent, "try_send never reached the blocked receiver");
    gort_wg_wait(&wg);
    CHECK_EQ_INT(got_val, 31337);
    CHECK(!gort_chan_try_send(u, &v));   /* receiver gone */
    gort_chan_unref(u);

    gort_chan *c = gort_chan_make(sizeof(int64_t), 3);
    for (int64_t i = 0; i < 3; i++) CHECK(gort_chan_try_send(c, &i));
    int64_t x = 100;
    CHECK(!gort_chan_try_send(c, &x));
    CHECK(!gort_chan_try_send(c, &x));
    CHECK_EQ_INT(gort_chan_len(c), 3);
    for (int64_t i = 0; i < 3; i++) {
        int64_t r = -1;
        CHECK(gort_chan_recv(c, &r));
        CHECK_EQ_INT(r, i);                /* the refused 100 never got in */
    }
    CHECK(gort_chan_try_send(c, &x));
    CHECK_EQ_INT(gort_chan_len(c), 1);
    gort_chan_unref(c);
    return 0;
}

GORT_MAIN(main_fn)
