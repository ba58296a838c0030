// Many more goroutines in loops that call nothing than processors (100 at
// GOMAXPROCS=2) all get to run, in turn: every one has started within 5 s,
// and, after that, every one makes progress again within 5 s; main wakes
// from its sleeps meanwhile.  (Each goroutine interrupted in its loop waits
// for its turn wired to its own thread, so the process has about as many
// threads as loops waiting: the count is reported.)  Without asynchronous
// preemption two loops keep the two processors and the rest never start.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "pre.h"

#define NSPIN 100

static _Atomic int stop;
static _Atomic long progress[NSPIN];
static gort_waitgroup wg;

static void spinner(void *arg)
{
    pre_spin_until(&stop, &progress[(intptr_t)arg]);
    gort_wg_done(&wg);
}

/* Waits until every loop's progress exceeds base[i]; returns the time. */
static int64_t all_beyond(const long *base, const char *what)
{
    int64_t t0 = now_ns(), end = t0 + MS(5000);
    long max_threads = 0;
    for (;;) {
        int moved = 0;
        for (int i = 0; i < NSPIN; i++) moved += LD(progress[i]) > base[i];
        long th = os_thread_count();
        if (th > max_threads) max_threads = th;
        if (moved == NSPIN) {
            NOTE("%s: all %d loops in %.0f ms, up to %ld threads\n", what, NSPIN, (double)(now_ns() - t0) / 1e6,
                 max_threads);
            return now_ns() - t0;
        }
        CHECK_MSG(now_ns() < end, "%s: only %d of %d loops in 5 s", what, moved, NSPIN);
        gort_sleep(MS(5));
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    pre_watchdog_start(MS(30000), "100 loops at GOMAXPROCS=2");
    gort_wg_add(&wg, NSPIN);
    for (intptr_t i = 0; i < NSPIN; i++) go(spinner, (void *)i);
    long base[NSPIN] = { 0 };
    all_beyond(base, "started");
    for (int i = 0; i < NSPIN; i++) base[i] = LD(progress[i]);
    all_beyond(base, "ran again");
    ST(stop, 1);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    pre_watchdog_stop();
    return 0;
}

GORT_MAIN(main_fn)
