// Buffered channels are FIFO: values come out in the order they went in,
// across the ring's wrap-around (random interleavings of sends and receives
// against a model queue), and with a concurrent producer pushing 20,000
// values through a small buffer.
#include "check.h"

#define N 20000

static gort_chan *pc;
static gort_waitgroup wg;

static void producer(void *arg)
{
    (void)arg;
    for (int64_t i = 0; i < N; i++) gort_chan_send(pc, &i);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    /* fill then drain */
    gort_chan *c = gort_chan_make(sizeof(int64_t), 100);
    for (int64_t i = 0; i < 100; i++) gort_chan_send(c, &i);
    for (int64_t i = 0; i < 100; i++) {
        int64_t v = -1;
        CHECK(gort_chan_recv(c, &v));
        CHECK_EQ_INT(v, i);
    }
    gort_chan_unref(c);

    /* random interleavings with wrap-around, against a model queue */
    for (size_t cap = 1; cap <= 9; cap++) {
        c = gort_chan_make(sizeof(int64_t), cap);
        int64_t next_in = 0, next_out = 0;
        uint64_t r = 12345 + cap;
        for (int step = 0; step < 5000; step++) {
            size_t len = (size_t)(next_in - next_out);
            CHECK_EQ_INT(gort_chan_len(c), len);
            bool do_send = (rand_next(&r) & 1) ? len < cap : len == 0;
            if (do_send) {
                gort_chan_send(c, &next_in);
                next_in++;
            } else {
                int64_t v = -1;
                CHECK(gort_chan_recv(c, &v));
                CHECK_MSG(v == next_out, "cap %zu step %d: got %lld want %lld", cap, step,
                          (long long)v, (long long)next_out);
                next_out++;
            }
        }
        gort_chan_unref(c);
    }

    /* concurrent producer through a small buffer */
    pc = gort_chan_make(sizeof(int64_t), 7);
    gort_wg_add(&wg, 1);
    go(producer, NULL);
    for (int64_t i = 0; i < N; i++) {
        int64_t v = -1;
        CHECK(gort_chan_recv(pc, &v));
        CHECK_EQ_INT(v, i);
    }
    gort_wg_wait(&wg);
    gort_chan_unref(pc);
    return 0;
}

GORT_MAIN(main_fn)
