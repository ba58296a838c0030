// Fan-out/fan-in pipeline: a generator sends 1..20,000 and closes; 8 squarer
// goroutines read from that one channel and each write squares to its own
// output channel, closing it when the input is drained; a merger goroutine per
// output forwards into one channel that a closer goroutine closes after a
// WaitGroup; main sums: count and sum of squares exact.
#include "check.h"

#define N 20000
#define W 8

static gort_chan *gen_out, *sq_out[W], *merged;
static gort_waitgroup merge_wg;

static void generator(void *arg)
{
    (void)arg;
    for (int64_t i = 1; i <= N; i++) gort_chan_send(gen_out, &i);
    gort_chan_close(gen_out);
}

static void squarer(void *arg)
{
    gort_chan *out = (gort_chan *)arg;
    int64_t v;
    while (gort_chan_recv(gen_out, &v)) {
        int64_t sq = v * v;
        gort_chan_send(out, &sq);
    }
    gort_chan_close(out);
}

static void merger(void *arg)
{
    gort_chan *in = (gort_chan *)arg;
    int64_t v;
    while (gort_chan_recv(in, &v)) gort_chan_send(merged, &v);
    gort_wg_done(&merge_wg);
}

static void closer(void *arg)
{
    (void)arg;
    gort_wg_wait(&merge_wg);
    gort_chan_close(merged);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gen_out = gort_chan_make(sizeof(int64_t), 0);
    merged = gort_chan_make(sizeof(int64_t), 16);
    go(generator, NULL);
    gort_wg_add(&merge_wg, W);
    for (int i = 0; i < W; i++) {
        sq_out[i] = gort_chan_make(sizeof(int64_t), (size_t)i);  /* caps 0..7 */
        go(squarer, sq_out[i]);
        go(merger, sq_out[i]);
    }
    go(closer, NULL);
    int64_t v, sum = 0, count = 0;
    while (gort_chan_recv(merged, &v)) {
        sum += v;
        count++;
    }
    CHECK_EQ_INT(count, N);
    CHECK_EQ_INT(sum, (int64_t)N * (N + 1) * (2 * N + 1) / 6);
    for (int i = 0; i < W; i++) gort_chan_unref(sq_out[i]);
    gort_chan_unref(gen_out);
    gort_chan_unref(merged);
    return 0;
}

GORT_MAIN(main_fn)
