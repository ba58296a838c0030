// gort_now is a monotonic clock in nanoseconds: it never goes backwards
// (within a goroutine, and across goroutines on different threads once a
// reading is published), and it advances at the rate of CLOCK_MONOTONIC
// (50 ms measured both ways agree within 1 ms), with nanosecond resolution.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define G 8

static _Atomic int64_t published;
static gort_waitgroup wg;

static void reader(void *arg)
{
    (void)arg;
    int64_t last = gort_now();
    for (int i = 0; i < 200000; i++) {
        int64_t p = atomic_load(&published);
        int64_t t = gort_now();
        CHECK_MSG(t >= last, "gort_now went back by %lld ns", (long long)(last - t));
        CHECK_MSG(t >= p, "gort_now %lld earlier than a reading %lld ns before it published by another goroutine",
                  (long long)t, (long long)(p - t));
        last = t;
        if ((i & 15) == 0) {
            int64_t cur = atomic_load(&published);
            while (t > cur && !atomic_compare_exchange_weak(&published, &cur, t)) {}
        }
        if ((i & 1023) == 0) gort_yield();
    }
    gort_wg_done(&wg);
}

/* A gort_now reading with the CLOCK_MONOTONIC time at which it was taken,
 * bracketed tightly (retried while the thread was preempted in between). */
static void sample(int64_t *g, int64_t *c)
{
    for (int i = 0; i < 10000; i++) {
        int64_t a = now_ns(), x = gort_now(), b = now_ns();
        if (b - a < US(20)) {
            *g = x;
            *c = a + (b - a) / 2;
            return;
        }
    }
    FAIL("could not read gort_now within 20 us of CLOCK_MONOTONIC in 10,000 tries");
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_VALGRIND("timing: 20-100 us bounds between two clock readings, and Valgrind may run another thread in between");
    /* rate */
    int64_t g0, c0, g1, c1;
    sample(&g0, &c0);
    struct timespec ts = { 0, 50 * 1000000 };
    while (nanosleep(&ts, &ts) != 0) {}
    sample(&g1, &c1);
    int64_t dg = g1 - g0, dc = c1 - c0;
    CHECK_MSG(dg >= MS(50), "gort_now advanced %lld ns over a 50 ms sleep", (long long)dg);
    CHECK_MSG(llabs(dg - dc) < MS(1), "gort_now advanced %lld ns while CLOCK_MONOTONIC advanced %lld ns",
              (long long)dg, (long long)dc);
    /* resolution: consecutive distinct readings differ by well under a millisecond */
    int64_t a = gort_now(), b;
    while ((b = gort_now()) == a) {}
    CHECK_MSG(b - a < US(100), "gort_now ticks in steps of %lld ns", (long long)(b - a));
    /* monotonic across goroutines and threads */
    gort_wg_add(&wg, G);
    for (int i = 0; i < G; i++) go(reader, NULL);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
