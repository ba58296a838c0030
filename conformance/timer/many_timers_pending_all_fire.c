// 10,000 timers pending at once (timers, and as many gort_after channels)
// with times spread over 50 ms all fire, each exactly once and never early;
// 100 goroutines on 2 Ps each receive from their share.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define N 10000
#define G 100

static gort_timer *timers[N];
static gort_chan *afters[N];
static int64_t due[N];
static gort_waitgroup wg;
static _Atomic int fired;

static void receiver(void *arg)
{
    intptr_t g = (intptr_t)arg;
    for (int i = (int)g; i < N; i += G) {
        int64_t v = 0;
        CHECK(gort_chan_recv(gort_timer_chan(timers[i]), &v));
        CHECK_MSG(v >= due[i], "timer %d fired %lld ns early", i, (long long)(due[i] - v));
        CHECK(gort_chan_recv(afters[i], &v));
        CHECK_MSG(v >= due[i], "after %d fired %lld ns early", i, (long long)(due[i] - v));
        atomic_fetch_add(&fired, 2);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    uint64_t r = 3;
    for (int i = 0; i < N; i++) {
        int64_t d = (int64_t)(rand_next(&r) % (uint64_t)MS(50));
        due[i] = gort_now() + d;
        timers[i] = gort_timer_new(d);
        afters[i] = gort_after(d);
    }
    gort_wg_add(&wg, G);
    for (intptr_t g = 0; g < G; g++) go(receiver, (void *)g);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&fired), 2 * N);
    gort_sleep(MS(20));
    for (int i = 0; i < N; i++) {
        int64_t v;
        CHECK(!gort_chan_try_recv(gort_timer_chan(timers[i]), &v, NULL));
        CHECK(!gort_chan_try_recv(afters[i], &v, NULL));
        gort_timer_free(timers[i]);
        gort_chan_unref(afters[i]);
    }
    return 0;
}

GORT_MAIN(main_fn)
