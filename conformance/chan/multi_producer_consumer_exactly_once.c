// Many producers and consumers over one channel: 100 producers send 10,000
// distinct values each (1,000,000 in all) on one buffered channel, 8
// consumers receive until it is closed (after a WaitGroup on the producers);
// every value is received exactly once: count, sum and a per-value seen map.
#include "check.h"

#define P 100
#define PER 10000
#define C 8
#define TOTAL (P * PER)

static gort_chan *ch;
static _Atomic unsigned char seen[TOTAL];
static _Atomic int64_t count, sum;
static gort_waitgroup prod_wg, cons_wg;

static void producer(void *arg)
{
    int64_t base = (int64_t)(intptr_t)arg * PER;
    for (int64_t i = 0; i < PER; i++) {
        int64_t v = base + i;
        gort_chan_send(ch, &v);
    }
    gort_wg_done(&prod_wg);
}

static void consumer(void *arg)
{
    (void)arg;
    int64_t v, n = 0, s = 0;
    while (gort_chan_recv(ch, &v)) {
        CHECK_MSG(v >= 0 && v < TOTAL, "value %lld out of range", (long long)v);
        CHECK_MSG(atomic_fetch_add(&seen[v], 1) == 0, "value %lld received twice", (long long)v);
        n++;
        s += v;
    }
    atomic_fetch_add(&count, n);
    atomic_fetch_add(&sum, s);
    gort_wg_done(&cons_wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    ch = gort_chan_make(sizeof(int64_t), 128);
    gort_wg_add(&cons_wg, C);
    for (int i = 0; i < C; i++) go(consumer, NULL);
    gort_wg_add(&prod_wg, P);
    for (intptr_t i = 0; i < P; i++) go(producer, (void *)i);
    gort_wg_wait(&prod_wg);
    gort_chan_close(ch);
    gort_wg_wait(&cons_wg);
    CHECK_EQ_INT(atomic_load(&count), TOTAL);
    CHECK_EQ_INT(atomic_load(&sum), (int64_t)TOTAL * (TOTAL - 1) / 2);
    for (int64_t i = 0; i < TOTAL; i++) CHECK_MSG(atomic_load(&seen[i]) == 1, "value %lld lost", (long long)i);
    gort_chan_unref(ch);
    return 0;
}

GORT_MAIN(main_fn)
