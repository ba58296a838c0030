// With GOMAXPROCS=1 a goroutine in a loop that calls nothing (no gort call,
// no function call at all) cannot keep the only processor: it is interrupted
// after its time slice (10 ms) and the main goroutine, asleep meanwhile,
// wakes within 50 ms of its time: 20 sleeps of 10 ms in a row while the loop
// runs on, median lateness under 50 ms, worst under 500 ms (noisy machines;
// see pre.h).  Then main stops the loop and waits for it.  Without
// asynchronous preemption main never runs again (the watchdog says so).
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=20
#include "pre.h"

#define SLEEPS 20

static _Atomic int stop;
static _Atomic long progress;
static _Atomic int spinner_done;
static gort_waitgroup wg;

static void spinner(void *arg)
{
    (void)arg;
    pre_spin_until(&stop, &progress);
    ST(spinner_done, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    pre_watchdog_start(MS(5000), "main asleep 10 ms while a goroutine loops at GOMAXPROCS=1");
    gort_wg_add(&wg, 1);
    go(spinner, NULL);
    int64_t late[SLEEPS];
    long last = 0;
    int ran = 0;
    for (int i = 0; i < SLEEPS; i++) {
        int64_t t0 = now_ns();
        gort_sleep(MS(10));
        late[i] = now_ns() - t0 - MS(10);
        /* the loop ran while main slept (main woke because it was
         * preempted), and has not ended */
        long now = LD(progress);
        ran += now > last;
        CHECK_MSG(!LD(spinner_done), "the spinner ended before it was told to");
        last = now;
    }
    /* (a busy machine may now and then hand the processor over too late
     * for the loop to start before main's timer fires) */
    CHECK_MSG(ran >= SLEEPS / 2, "the loop ran during only %d of %d sleeps", ran, SLEEPS);
    ST(stop, 1);
    gort_wg_wait(&wg);
    pre_watchdog_stop();
    pre_check_lateness(late, SLEEPS, "10 ms sleeps next to a loop at GOMAXPROCS=1");
    return 0;
}

GORT_MAIN(main_fn)
