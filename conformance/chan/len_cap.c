// gort_chan_len is the number of buffered values, gort_chan_cap the buffer
// size: both follow every send, receive and close; an unbuffered channel has
// len 0 and cap 0 even with a sender blocked on it; a closed channel keeps
// its len until drained.
#include "check.h"

static gort_chan *u;
static gort_waitgroup wg;

static void sender(void *arg)
{
    (void)arg;
    int v = 1;
    gort_chan_send(u, &v);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(int), 5);
    CHECK_EQ_INT(gort_chan_cap(c), 5);
    CHECK_EQ_INT(gort_chan_len(c), 0);
    for (int i = 1; i <= 5; i++) {
        gort_chan_send(c, &i);
        CHECK_EQ_INT(gort_chan_len(c), i);
        CHECK_EQ_INT(gort_chan_cap(c), 5);
    }
    int v;
    CHECK(gort_chan_recv(c, &v));
    CHECK_EQ_INT(gort_chan_len(c), 4);
    CHECK(gort_chan_try_recv(c, &v, NULL));
    CHECK_EQ_INT(gort_chan_len(c), 3);
    gort_chan_close(c);
    CHECK_EQ_INT(gort_chan_len(c), 3);
    CHECK_EQ_INT(gort_chan_cap(c), 5);
    while (gort_chan_recv(c, &v)) {}
    CHECK_EQ_INT(gort_chan_len(c), 0);
    CHECK_EQ_INT(gort_chan_cap(c), 5);
    gort_chan_unref(c);

    c = gort_chan_make(0, 1000000);
    CHECK_EQ_INT(gort_chan_cap(c), 1000000);
    gort_chan_send(c, NULL);
    CHECK_EQ_INT(gort_chan_len(c), 1);
    gort_chan_unref(c);

    u = gort_chan_make(sizeof(int), 0);
    CHECK_EQ_INT(gort_chan_cap(u), 0);
    gort_wg_add(&wg, 1);
    go(sender, NULL);
    gort_sleep(MS(20));
    CHECK_EQ_INT(gort_chan_len(u), 0);
    CHECK_EQ_INT(gort_chan_cap(u), 0);
    CHECK(gort_chan_recv(u, &v));
    gort_wg_wait(&wg);
    CHECK_EQ_INT(gort_chan_len(NULL), 0);
    CHECK_EQ_INT(gort_chan_cap(NULL), 0);
    gort_chan_unref(u);
    return 0;
}

GORT_MAIN(main_fn)
