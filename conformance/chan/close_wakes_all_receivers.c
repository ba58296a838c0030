// Closing a channel wakes every blocked receiver: 20 goroutines blocked in
// gort_chan_recv on an unbuffered channel and 20 on an empty buffered one all
// return false, with elem zero-filled, after the close (and none before).
#include "check.h"

#define R 20

static gort_chan *u, *b;
static _Atomic int returned, bad;
static gort_waitgroup wg;

static void receiver(void *arg)
{
    gort_chan *c = (gort_chan *)arg;
    int64_t v = -1;
    bool r = gort_chan_recv(c, &v);
    if (r || v != 0) atomic_fetch_add(&bad, 1);
    atomic_fetch_add(&returned, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    u = gort_chan_make(sizeof(int64_t), 0);
    b = gort_chan_make(sizeof(int64_t), 5);
    gort_wg_add(&wg, 2 * R);
    for (int i = 0; i < R; i++) {
        go(receiver, u);
        go(receiver, b);
    }
    gort_sleep(MS(50));
    CHECK_EQ_INT(atomic_load(&returned), 0);
    gort_chan_close(u);
    gort_chan_close(b);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&returned), 2 * R);
    CHECK_EQ_INT(atomic_load(&bad), 0);
    gort_chan_unref(u);
    gort_chan_unref(b);
    return 0;
}

GORT_MAIN(main_fn)
