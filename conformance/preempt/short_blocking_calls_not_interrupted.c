// The program's blocking system calls are not cut short with EINTR by the
// runtime's preemption signal, also when they are short and follow each
// other: a goroutine that does nothing but plain nanosleep(1 ms) 1000 times
// in a row, and one that does plain poll(2) for 1 ms on an empty pipe 1000
// times, never see EINTR (nanosleep returns 0, poll 0: timed out) while two
// goroutines loop without calling anything next to them (GOMAXPROCS=2, 1 ms
// slices: the runtime signals all the time).  Such a goroutine never parks,
// so to the runtime it has been running for ever; its thread is asleep in
// the kernel almost all the time, and awake (running, or runnable after a
// timeout, still inside the call) only for moments — a signal that arrives
// during one of those moments interrupts the next call or the one that is
// about to return.
// gort-test: env=GOMAXPROCS=2
// gort-test: env=GORT_PREEMPT_AFTER_US=1000
// gort-test: timeout=30
#include "pre.h"

#include <poll.h>

#define CALLS 1000

static _Atomic int stop;
static _Atomic long progress[2];
static gort_waitgroup spin_wg, calls_wg;
static int quiet_pipe[2];
static int sleep_eintr, sleep_other, poll_eintr, poll_other;

static CHECK_NOINLINE int errno_now(void) { return errno; }

static void spinner(void *arg)
{
    pre_spin_until(&stop, &progress[(intptr_t)arg]);
    gort_wg_done(&spin_wg);
}

static void sleeper(void *arg)
{
    (void)arg;
    for (int i = 0; i < CALLS; i++) {
        struct timespec ts = { 0, 1000000L };
        if (nanosleep(&ts, NULL) != 0) {
            if (errno_now() == EINTR) sleep_eintr++;
            else sleep_other++;
        }
    }
    gort_wg_done(&calls_wg);
}

static void poller(void *arg)
{
    (void)arg;
    for (int i = 0; i < CALLS; i++) {
        struct pollfd p = { quiet_pipe[0], POLLIN, 0 };
        int r = poll(&p, 1, 1);
        if (r < 0 && errno_now() == EINTR) poll_eintr++;
        else if (r != 0) poll_other++;
    }
    gort_wg_done(&calls_wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    pre_watchdog_start(MS(15000), "1000 short calls each next to 2 loops at GOMAXPROCS=2");
    CHECK_EQ_INT(pipe(quiet_pipe), 0);
    gort_wg_add(&spin_wg, 2);
    go(spinner, (void *)0);
    go(spinner, (void *)1);
    gort_wg_add(&calls_wg, 2);
    go(sleeper, NULL);
    go(poller, NULL);
    gort_wg_wait(&calls_wg);
    ST(stop, 1);
    gort_wg_wait(&spin_wg);
    pre_watchdog_stop();
    NOTE("%d nanosleeps: %d EINTR; %d polls: %d EINTR\n", CALLS, sleep_eintr, CALLS, poll_eintr);
    CHECK_MSG(sleep_other == 0 && poll_other == 0, "%d nanosleeps and %d polls failed otherwise", sleep_other,
              poll_other);
    CHECK_MSG(sleep_eintr == 0 && poll_eintr == 0, "%d of %d nanosleep(1 ms) and %d of %d poll(1 ms) failed with EINTR",
              sleep_eintr, CALLS, poll_eintr, CALLS);
    return 0;
}

GORT_MAIN(main_fn)
