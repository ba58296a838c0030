// A plain pthread receives from goroutines: 4 goroutines send 2,500 values
// each on an unbuffered channel, a plain thread receives all 10,000 (blocking
// the thread) and reports the sum back to main on a second channel, from the
// thread.  A second plain thread sending on a buffered channel to the first
// one covers thread-to-thread hand-off through gort.
#include "check.h"
#include <pthread.h>

#define N 10000
#define S 4

static gort_chan *c, *result, *tt;
static gort_waitgroup wg;

static void sender(void *arg)
{
    int64_t base = (int64_t)(intptr_t)arg * (N / S);
    for (int64_t i = 0; i < N / S; i++) {
        int64_t v = base + i;
        gort_chan_send(c, &v);
    }
    gort_wg_done(&wg);
}

static void *thread_receiver(void *arg)
{
    (void)arg;
    CHECK_EQ_U64(gort_id(), 0);
    static _Atomic unsigned char seen[N];
    int64_t sum = 0, v;
    for (int i = 0; i < N; i++) {
        CHECK(gort_chan_recv(c, &v));
        CHECK(v >= 0 && v < N);
        CHECK_MSG(atomic_fetch_add(&seen[v], 1) == 0, "value %lld twice", (long long)v);
        sum += v;
    }
    for (int i = 0; i < 1000; i++) {
        CHECK(gort_chan_recv(tt, &v));
        CHECK_EQ_INT(v, i);
    }
    gort_chan_send(result, &sum);
    return NULL;
}

static void *thread_sender(void *arg)
{
    (void)arg;
    for (int64_t i = 0; i < 1000; i++) gort_chan_send(tt, &i);
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    c = gort_chan_make(sizeof(int64_t), 0);
    result = gort_chan_make(sizeof(int64_t), 0);
    tt = gort_chan_make(sizeof(int64_t), 3);
    pthread_t t1, t2;
    CHECK_EQ_INT(pthread_create(&t1, NULL, thread_receiver, NULL), 0);
    CHECK_EQ_INT(pthread_create(&t2, NULL, thread_sender, NULL), 0);
    gort_wg_add(&wg, S);
    for (intptr_t i = 0; i < S; i++) go(sender, (void *)i);
    int64_t sum = -1;
    CHECK(gort_chan_recv(result, &sum));
    CHECK_EQ_INT(sum, (int64_t)N * (N - 1) / 2);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(pthread_join(t1, NULL), 0);
    CHECK_EQ_INT(pthread_join(t2, NULL), 0);
    gort_chan_unref(c);
    gort_chan_unref(result);
    gort_chan_unref(tt);
    return 0;
}

GORT_MAIN(main_fn)
