// Goroutines waiting after a preemption each keep their OS thread, so the
// runtime caps how many may wait: GORT_MAX_THREADS less a reserve for
// threads blocked in system calls and one per processor (docs/DESIGN.md,
// "Preemption").  So goroutines in loops that call nothing never take the
// threads that goroutines in system calls hold: here two goroutines sit
// in bracketed system calls (gort_syscall_enter, a read(2) on a pipe) the
// whole time, holding two threads, while 40 loops that call nothing run
// for 1.5 s at GOMAXPROCS=2 and GORT_MAX_THREADS=16.  The program must not
// end with "thread exhaustion": exit 0 with no fatal error, and loops took
// turns while threads could still be had (10 or more of the 40 ran).
// gort-test: env=GOMAXPROCS=2
// gort-test: env=GORT_MAX_THREADS=16
// gort-test: timeout=60
#include "pre.h"

#define NSPIN 40
#define NSYSCALL 2

static _Atomic long progress[NSPIN];
static _Atomic int64_t deadline;
static _Atomic int in_syscall;
static gort_waitgroup spin_wg, sys_wg;
static int pfd[2];

static void spinner(void *arg)
{
    pre_spin_until_time(&deadline, &progress[(intptr_t)arg]);
    gort_wg_done(&spin_wg);
}

static void in_call(void *arg)
{
    (void)arg;
    char c;
    gort_syscall_enter();
    atomic_fetch_add(&in_syscall, 1);
    CHECK_EQ_INT(read(pfd[0], &c, 1), 1);
    gort_syscall_exit();
    gort_wg_done(&sys_wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    CHECK_EQ_INT(pipe(pfd), 0);
    pre_watchdog_start(MS(20000), "40 loops at GOMAXPROCS=2 with GORT_MAX_THREADS=16, 2 threads in system calls");
    gort_wg_add(&sys_wg, NSYSCALL);
    for (int i = 0; i < NSYSCALL; i++) go(in_call, NULL);
    while (atomic_load(&in_syscall) < NSYSCALL) gort_sleep(MS(1));
    ST(deadline, now_ns() + MS(1500));
    gort_wg_add(&spin_wg, NSPIN);
    for (intptr_t i = 0; i < NSPIN; i++) go(spinner, (void *)i);
    gort_wg_wait(&spin_wg);
    CHECK_EQ_INT(write(pfd[1], "xx", NSYSCALL), NSYSCALL);
    gort_wg_wait(&sys_wg);
    pre_watchdog_stop();
    int started = 0;
    for (int i = 0; i < NSPIN; i++) started += LD(progress[i]) > 0;
    gort_stats s;
    gort_stats_get(&s);
    NOTE("%d of %d loops ran; %d threads; %lld preemptions\n", started, NSPIN, (int)s.threads,
         (long long)s.preemptions);
    CHECK_MSG(started >= 10, "only %d of %d loops ever ran: the loops with threads did not take turns",
              started, NSPIN);
    return 0;
}

GORT_MAIN(main_fn)
