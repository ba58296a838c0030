// After the program has been idle long enough for the monitor thread
// (sysmon) to sleep deeply (every P idle for ~2 s), the first P that
// starts running again wakes it, so preemption works as before: at
// GOMAXPROCS=1 main sleeps 3 s, then starts a goroutine looping without
// calls and sleeps 10 ms 20 times; it wakes each time within the usual
// bounds only if sysmon is awake to preempt the loop (else main never runs
// again, and the watchdog says so).
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=30
#include "pre.h"

#define SLEEPS 20

static _Atomic int stop;
static _Atomic long progress;
static gort_waitgroup wg;

static void spinner(void *arg)
{
    (void)arg;
    pre_spin_until(&stop, &progress);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    gort_sleep(MS(3000));   /* every P idle: sysmon sleeps until woken */
    pre_watchdog_start(MS(5000), "main asleep 10 ms next to a loop, after 3 s idle");
    gort_wg_add(&wg, 1);
    go(spinner, NULL);
    int64_t late[SLEEPS];
    for (int i = 0; i < SLEEPS; i++) {
        int64_t t0 = now_ns();
        gort_sleep(MS(10));
        late[i] = now_ns() - t0 - MS(10);
    }
    ST(stop, 1);
    gort_wg_wait(&wg);
    pre_watchdog_stop();
    CHECK(LD(progress) > 0);
    pre_check_lateness(late, SLEEPS, "10 ms sleeps next to a loop after 3 s idle, GOMAXPROCS=1");
    return 0;
}

GORT_MAIN(main_fn)
