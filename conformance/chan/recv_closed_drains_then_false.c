// A receive on a closed channel returns the buffered values first (in order,
// true), then false with elem zero-filled, at once, for ever: 1,000 more
// receives each return false at once with all 24 bytes zeroed.  Same for an
// unbuffered channel and for a closed channel with a blocked-then-woken
// receiver.
#include "check.h"

typedef struct { int64_t a, b, c; } v24;

static gort_chan *late;
static _Atomic int late_done;
static gort_waitgroup wg;

static void late_receiver(void *arg)
{
    (void)arg;
    v24 v;
    memset(&v, 0xFF, sizeof v);
    CHECK(!gort_chan_recv(late, &v));
    CHECK(v.a == 0 && v.b == 0 && v.c == 0);
    atomic_store(&late_done, 1);
    gort_wg_done(&wg);
}

static void expect_closed(gort_chan *c)
{
    int64_t t0 = now_ns();
    for (int i = 0; i < 1000; i++) {
        v24 v;
        memset(&v, 0xFF, sizeof v);
        CHECK_MSG(!gort_chan_recv(c, &v), "receive %d on a closed, drained channel returned true", i);
        CHECK_MSG(v.a == 0 && v.b == 0 && v.c == 0, "receive %d did not zero the element", i);
    }
    int64_t dt = now_ns() - t0;
    CHECK_MSG(dt < 2000000000LL, "1000 receives on a closed channel took %lld ns", (long long)dt);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(v24), 4);
    for (int64_t i = 1; i <= 3; i++) {
        v24 v = {i, i * 10, i * 100};
        gort_chan_send(c, &v);
    }
    gort_chan_close(c);
    CHECK_EQ_INT(gort_chan_len(c), 3);
    for (int64_t i = 1; i <= 3; i++) {
        v24 v;
        memset(&v, 0, sizeof v);
        CHECK_MSG(gort_chan_recv(c, &v), "buffered value %lld lost by close", (long long)i);
        CHECK(v.a == i && v.b == i * 10 && v.c == i * 100);
        CHECK_EQ_INT(gort_chan_len(c), 3 - i);
    }
    expect_closed(c);
    CHECK(gort_chan_recv(c, NULL) == false);   /* NULL elem on a closed channel */
    gort_chan_unref(c);

    c = gort_chan_make(sizeof(v24), 0);
    gort_chan_close(c);
    expect_closed(c);
    gort_chan_unref(c);

    /* a receiver blocked before the close gets false and zeroes */
    late = gort_chan_make(sizeof(v24), 2);
    gort_wg_add(&wg, 1);
    go(late_receiver, NULL);
    gort_sleep(MS(20));
    CHECK_EQ_INT(atomic_load(&late_done), 0);
    gort_chan_close(late);
    gort_wg_wait(&wg);
    expect_closed(late);
    gort_chan_unref(late);
    return 0;
}

GORT_MAIN(main_fn)
