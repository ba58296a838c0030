// gort_gomaxprocs(n) with a smaller n waits until the processors above the
// new limit have retired, which each does at its next scheduling point: with
// goroutines in loops that call nothing on every processor, asynchronous
// preemption is what gets them there.  With GOMAXPROCS=2 and 3 such loops
// running, main changes GOMAXPROCS 2 -> 1 -> 2 -> 1 -> 4 -> 1 -> 2: every
// call returns the previous value within 1 s, and after each change every
// loop still makes progress (within 1 s) and main still wakes from sleeps.
// Without asynchronous preemption the first call never returns.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=30
#include "pre.h"

#define NSPIN 3

static _Atomic int stop;
static _Atomic long progress[NSPIN];
static gort_waitgroup wg;

static void spinner(void *arg)
{
    pre_spin_until(&stop, &progress[(intptr_t)arg]);
    gort_wg_done(&wg);
}

static void all_progress(int procs)
{
    long before[NSPIN];
    for (int i = 0; i < NSPIN; i++) before[i] = LD(progress[i]);
    int64_t end = now_ns() + MS(1000);
    for (;;) {
        int moved = 0;
        for (int i = 0; i < NSPIN; i++) moved += LD(progress[i]) > before[i];
        if (moved == NSPIN) return;
        CHECK_MSG(now_ns() < end, "GOMAXPROCS=%d: only %d of %d loops made progress in 1 s", procs, moved, NSPIN);
        gort_sleep(MS(1));
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    pre_watchdog_start(MS(15000), "GOMAXPROCS changes while loops run");
    gort_wg_add(&wg, NSPIN);
    for (intptr_t i = 0; i < NSPIN; i++) go(spinner, (void *)i);
    all_progress(2);
    static const int seq[] = { 1, 2, 1, 4, 1, 2 };
    int prev = 2;
    int64_t worst = 0;
    for (size_t k = 0; k < sizeof seq / sizeof seq[0]; k++) {
        int64_t t0 = now_ns();
        int r = gort_gomaxprocs(seq[k]);
        int64_t took = now_ns() - t0;
        CHECK_MSG(r == prev, "gort_gomaxprocs(%d) returned %d, want %d", seq[k], r, prev);
        CHECK_MSG(took < MS(1000), "gort_gomaxprocs(%d) took %lld ms", seq[k], (long long)(took / 1000000));
        CHECK_EQ_INT(gort_gomaxprocs(0), seq[k]);
        if (took > worst) worst = took;
        all_progress(seq[k]);
        prev = seq[k];
    }
    ST(stop, 1);
    gort_wg_wait(&wg);
    pre_watchdog_stop();
    NOTE("slowest GOMAXPROCS change: %.1f ms\n", (double)worst / 1e6);
    return 0;
}

GORT_MAIN(main_fn)
