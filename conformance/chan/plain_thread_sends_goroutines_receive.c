// Channels work between plain pthreads and goroutines: a plain thread sends
// 10,000 values on an unbuffered channel (blocking the thread, not any
// goroutine) and closes it; 4 goroutines receive until closed; every value
// arrives exactly once (count, sum, per-value seen).
#include "check.h"
#include <pthread.h>

#define N 10000
#define R 4

static gort_chan *c;
static _Atomic unsigned char seen[N];
static _Atomic long count, sum;
static gort_waitgroup wg;

static void *producer(void *arg)
{
    (void)arg;
    CHECK_EQ_U64(gort_id(), 0);
    for (int64_t i = 0; i < N; i++) gort_chan_send(c, &i);
    gort_chan_close(c);
    return NULL;
}

static void consumer(void *arg)
{
    (void)arg;
    int64_t v;
    while (gort_chan_recv(c, &v)) {
        CHECK(v >= 0 && v < N);
        CHECK_MSG(atomic_fetch_add(&seen[v], 1) == 0, "value %lld received twice", (long long)v);
        atomic_fetch_add(&count, 1);
        atomic_fetch_add(&sum, v);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    c = gort_chan_make(sizeof(int64_t), 0);
    gort_wg_add(&wg, R);
    for (int i = 0; i < R; i++) go(consumer, NULL);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, producer, NULL), 0);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    CHECK_EQ_INT(atomic_load(&count), N);
    CHECK_EQ_INT(atomic_load(&sum), (long)N * (N - 1) / 2);
    for (int i = 0; i < N; i++) CHECK_MSG(atomic_load(&seen[i]) == 1, "value %d lost", i);
    gort_chan_unref(c);
    return 0;
}

GORT_MAIN(main_fn)
