// gort_after(ns) delivers one int64_t, gort_now() at the moment it fired:
// never before ns have passed, and not after the receive returned.  Then
// nothing more arrives (the channel is not closed either: try_recv would
// block).  Checked for several durations, from goroutines on 2 Ps.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static const int64_t durations[] = { 0, 1, US(100), MS(1), MS(5), MS(20), MS(40) };
#define ND ((int)(sizeof durations / sizeof durations[0]))

static gort_waitgroup wg;

static void one(void *arg)
{
    int64_t d = durations[(intptr_t)arg];
    int64_t t0 = gort_now();
    gort_chan *c = gort_after(d);
    CHECK(c != NULL);
    int64_t v = -1;
    CHECK(gort_chan_recv(c, &v));
    int64_t t1 = gort_now();
    CHECK_MSG(t1 - t0 >= d, "after(%lld ns): received after %lld ns", (long long)d, (long long)(t1 - t0));
    CHECK_MSG(v >= t0 + d, "after(%lld ns): value is %lld ns after the call", (long long)d, (long long)(v - t0));
    CHECK_MSG(v <= t1, "after(%lld ns): value %lld ns later than the receive", (long long)d, (long long)(v - t1));
    /* once: nothing more, ever (checked well past a second period) */
    gort_sleep(d * 2 + MS(30));
    bool ok = true;
    int64_t w = 0;
    CHECK_MSG(!gort_chan_try_recv(c, &w, &ok), "second value %lld (ok %d) from after(%lld)",
              (long long)w, ok, (long long)d);
    gort_chan_unref(c);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int round = 0; round < 3; round++) {
        gort_wg_add(&wg, ND);
        for (intptr_t i = 0; i < ND; i++) go(one, (void *)i);
        gort_wg_wait(&wg);
    }
    return 0;
}

GORT_MAIN(main_fn)
