// Channels of elem_size 0 (signal channels) work with elem NULL on send and
// receive: buffered ones count their values in len and honour cap,
// unbuffered ones hand off between goroutines, and after close a receive
// drains the buffered signals and then returns false.
#include "check.h"

#define N 1000

static gort_chan *u;
static _Atomic int got;
static gort_waitgroup wg;

static void receiver(void *arg)
{
    (void)arg;
    for (int i = 0; i < N; i++) {
        CHECK(gort_chan_recv(u, NULL));
        atomic_fetch_add(&got, 1);
    }
    CHECK(!gort_chan_recv(u, NULL));     /* closed */
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(0, 3);
    CHECK_EQ_INT(gort_chan_cap(c), 3);
    for (int i = 0; i < 3; i++) gort_chan_send(c, NULL);
    CHECK_EQ_INT(gort_chan_len(c), 3);
    CHECK(!gort_chan_try_send(c, NULL));
    CHECK(gort_chan_recv(c, NULL));
    CHECK_EQ_INT(gort_chan_len(c), 2);
    CHECK(gort_chan_try_send(c, NULL));
    bool ok = false;
    CHECK(gort_chan_try_recv(c, NULL, &ok));
    CHECK(ok);
    CHECK_EQ_INT(gort_chan_len(c), 2);
    gort_chan_close(c);
    CHECK(gort_chan_recv(c, NULL));
    CHECK(gort_chan_recv(c, NULL));
    CHECK(!gort_chan_recv(c, NULL));
    ok = true;
    CHECK(gort_chan_try_recv(c, NULL, &ok));
    CHECK(!ok);
    gort_chan_unref(c);

    u = gort_chan_make(0, 0);
    CHECK_EQ_INT(gort_chan_cap(u), 0);
    CHECK(!gort_chan_try_send(u, NULL));     /* no receiver yet */
    gort_wg_add(&wg, 1);
    go(receiver, NULL);
    for (int i = 0; i < N; i++) gort_chan_send(u, NULL);
    gort_chan_close(u);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&got), N);
    gort_chan_unref(u);
    return 0;
}

GORT_MAIN(main_fn)
