// gort_sleep(ns <= 0) returns at once (0, -1, INT64_MIN), from main, from a
// goroutine and from a plain thread.
// gort-test: env=GOMAXPROCS=1
#include "check.h"
#include <pthread.h>

static void burst(void)
{
    int64_t t0 = now_ns();
    for (int i = 0; i < 10000; i++) {
        gort_sleep(0);
        gort_sleep(-1);
        gort_sleep(INT64_MIN);
    }
    int64_t el = now_ns() - t0;
    CHECK_MSG(el < MS(2000), "30,000 non-positive sleeps took %lld ms", (long long)(el / 1000000));
    t0 = now_ns();
    gort_sleep(-MS(1000));
    CHECK_MSG(now_ns() - t0 < MS(50), "sleep(-1 s) took %lld us", (long long)((now_ns() - t0) / 1000));
}

static gort_waitgroup wg;
static void g(void *arg) { (void)arg; burst(); gort_wg_done(&wg); }
static void *thr(void *arg) { (void)arg; burst(); return NULL; }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    burst();
    gort_wg_add(&wg, 1);
    go(g, NULL);
    gort_wg_wait(&wg);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, thr, NULL), 0);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);     /* the thread never blocks */
    return 0;
}

GORT_MAIN(main_fn)
