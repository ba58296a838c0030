// A goroutine waiting after a preemption keeps the OS thread it was
// interrupted on (it may hold a thread-local address in a register), so
// goroutines in loops that call nothing need a thread each while they wait.
// With more of them than GORT_MAX_THREADS allows (40 loops, GORT_MAX_THREADS=16,
// GOMAXPROCS=2), the runtime must not end the program with "thread
// exhaustion": near the limit it stops making goroutines give way unless the
// processor can go straight to a waiting goroutine's thread, so no thread is
// added.  Checked here: exit 0 with no fatal error; the process never has
// more threads than GORT_MAX_THREADS allows the runtime plus four others
// (sysmon, the symbolizer, this test's watchdog and monitor); and loops
// took turns while threads could still be had (10 or more of the 40 ran:
// GOMAXPROCS running, plus GORT_MAX_THREADS less a reserve waiting).  The
// loops stop themselves after 1.5 s: beyond the limit the rest of the
// program, the main goroutine included, waits for them, which is the
// documented cost (docs/DESIGN.md, "Preemption"; with GORT_ASYNCPREEMPT=0
// it would wait from the start).
// gort-test: env=GOMAXPROCS=2
// gort-test: env=GORT_MAX_THREADS=16
// gort-test: timeout=60
#include "pre.h"

#define NSPIN 40
#define MAX_THREADS 16

static _Atomic long progress[NSPIN];
static _Atomic int64_t deadline;
static _Atomic int monitor_done;
static _Atomic long max_threads_seen;
static gort_waitgroup wg;

static void spinner(void *arg)
{
    pre_spin_until_time(&deadline, &progress[(intptr_t)arg]);
    gort_wg_done(&wg);
}

/* A plain thread: counts the process's threads while the loops run. */
static void *monitor(void *arg)
{
    (void)arg;
    while (!atomic_load(&monitor_done)) {
        long t = os_thread_count();
        if (t > LD(max_threads_seen)) ST(max_threads_seen, t);
        usleep(2000);
    }
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    pre_watchdog_start(MS(20000), "40 loops at GOMAXPROCS=2 with GORT_MAX_THREADS=16");
    pthread_t mon;
    CHECK_EQ_INT(pthread_create(&mon, NULL, monitor, NULL), 0);
    ST(deadline, now_ns() + MS(1500));
    gort_wg_add(&wg, NSPIN);
    for (intptr_t i = 0; i < NSPIN; i++) go(spinner, (void *)i);
    gort_wg_wait(&wg);
    atomic_store(&monitor_done, 1);
    CHECK_EQ_INT(pthread_join(mon, NULL), 0);
    pre_watchdog_stop();
    int started = 0;
    for (int i = 0; i < NSPIN; i++) started += LD(progress[i]) > 0;
    gort_stats s;
    gort_stats_get(&s);
    NOTE("%d of %d loops ran; up to %ld threads; %lld preemptions\n", started, NSPIN,
         LD(max_threads_seen), (long long)s.preemptions);
    /* the runtime's Ms, plus sysmon, the symbolizer, the watchdog and the monitor */
    CHECK_MSG(LD(max_threads_seen) <= MAX_THREADS + 4, "up to %ld threads (GORT_MAX_THREADS=%d)",
              LD(max_threads_seen), MAX_THREADS);
    CHECK_MSG(started >= 10, "only %d of %d loops ever ran: the loops with threads did not take turns",
              started, NSPIN);
    return 0;
}

GORT_MAIN(main_fn)
