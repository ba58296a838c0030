/*
 * sysmon.c — the monitor thread (Go's sysmon): a plain thread, started with
 * the runtime, that holds no P and watches the Ps from outside.
 *
 * Each tick it
 *   - retakes the P of a thread that has sat in a bracketed system call
 *     (gort_syscall_enter) since the previous tick, when something needs
 *     that P: local work, or no idle or spinning M to pick up new work, or
 *     a call longer than 10 ms (Go's retake).  The P is handed to another M
 *     (sched.c: handoffp); the thread gets a P back, or queues its
 *     goroutine, at gort_syscall_exit;
 *   - asks a goroutine that has run for 10 ms without a switch to yield:
 *     at its next runtime call (G.preempt; PREEMPT_POINT in the entry
 *     points), and with the preemption signal (preempt.c), retried every
 *     tenth of a slice while it runs at an unsafe point;
 *   - polls the network when goroutines wait on descriptors and nobody has
 *     polled for 10 ms (every M busy);
 *   - gives back stacks freed long ago (stack.c: stack_scavenge);
 *   - lends one more P while a goroutine's thread sleeps in the kernel
 *     without gort_syscall_enter (after 1 ms without a switch, /proc says
 *     its thread sleeps in the kernel and has not run for 2 ms more: 3 ms
 *     at least), and takes it back when the thread runs again;
 *   - about once a second, unless the program chose GOMAXPROCS, re-reads
 *     the CPU limit (cgroup.c) and follows it (sched.c:
 *     gomaxprocs_follow_limit).
 * The tick starts at 20 µs and doubles after 50 ticks with nothing to do,
 * up to 10 ms.  When every P is idle and no goroutine waits on a
 * descriptor, sysmon sleeps until sysmon_wake_up (an M acquiring a P).
 *
 * sysmon reads P and G fields racily, through atomics; G descriptors are
 * never freed, so a stale pointer is harmless.  The only thing it changes
 * under another thread's feet is a P in P_SYSCALL, by CAS (the thread's
 * gort_syscall_exit CASes the other way).
 */
#include "internal.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define TICK_MIN_NS        (20 * 1000LL)
#define TICK_MAX_NS        (10 * 1000000LL)
#define SYSCALL_LONG_NS    (10 * 1000000LL)
#define PREEMPT_RETRY_MIN_NS (100 * 1000LL)
#define BUSY_WINDOW_NS       (2 * 1000000LL)
#define BLOCKED_AFTER_NS   (1 * 1000000LL)
#define BLOCKED_CONFIRM_NS (2 * 1000000LL)
#define IDLE_TICKS_BEFORE_BACKOFF 50
#define DEEP_AFTER_IDLE_TICKS     200
#define LIMIT_CHECK_NS     (1000 * 1000000LL)

static uint32_t sysmon_word;   /* futex: deep sleep */

void sysmon_wake_up(void)
{
    /* #StoreLoad: the caller made the world not idle (a P acquired, a
     * poller waiter added) before this load of sysmon_deep; sysmon stores
     * sysmon_deep and fences before it reads the idle state (sysmon_main).
     * One of the two sees the other: sysmon does not sleep while
     * goroutines run. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (ld_rlx(&sched.sysmon_deep)) {
        xadd(&sysmon_word, 1);
        futex_wake(&sysmon_word, 1);
    }
}

/* The current goroutine was asked to yield (PREEMPT_POINT saw a request
 * somewhere): if it is this one, it yields. */
void preempt_yield(void)
{
    G *g = gort__getg();
    if (g && ld_rlx(&g->preempt) && cas(&g->preempt, 1, 0)) {
        xadd(&sched.preempt_pending, -1);
        yield_preempted();
    }
}

/* Retakes p from a system call if it has been in the same one since the
 * last tick and is needed.  True if it did something. */
static bool retake_syscall(P *p, int64_t now)
{
    uint32_t tick = ld_acq(&p->syscalltick);
    if (p->sysmon_syscalltick != tick) {
        p->sysmon_syscalltick = tick;
        p->sysmon_syscallwhen = now;
        return false;
    }
    bool needed = !runq_empty(p) || ld_rlx(&sched.runq_size) != 0 ||
                  ld_rlx(&sched.nmspinning) + ld_rlx(&sched.npidle) == 0 ||
                  ld_rlx(&p->timer0_when) != 0 ||
                  now - p->sysmon_syscallwhen > SYSCALL_LONG_NS;
    if (!needed || !cas(&p->status, P_SYSCALL, P_IDLE))
        return false;
    handoffp(p);
    return true;
}

static char thread_state(int tid);
static bool read_task_file(int tid, const char *name, char *buf, size_t cap);

/* Is p's thread running code, not sleeping in system calls?  A goroutine
 * that calls nanosleep, poll or read back to back never switches either,
 * but its thread sleeps in the kernel nearly all the time, and a signal
 * that lands in one of those calls cuts it short with EINTR (they are not
 * restarted, whatever SA_RESTART says).  So a thread is signalled only if
 * it is runnable now (/proc state R) and, over the last measuring window
 * (BUSY_WINDOW_NS or more), it was on a CPU at least an eighth of the time
 * (a spinning thread gets that much with 8 threads to a CPU) and either
 * never went to sleep in the kernel (no voluntary context switch: a loop
 * that calls nothing, or only libc code that does not block) or computed
 * at least half the time (blocking now and then: such a call can still be
 * cut short, a risk Go's programs share).  A thread sleeping in
 * back-to-back calls switches voluntarily each time it ran, and is on a
 * CPU a few percent of the time (up to ~20% in a 2 ms window on a loaded
 * 2-CPU machine); on such a machine it may also not run at all for a
 * window, waiting for a CPU after its call returned.  The window's ends are timed where the counters
 * are read (sysmon may be held up between its tick and the read).  The
 * first window starts half a slice into the goroutine's run; until one is
 * measured the answer is no. */
typedef struct thread_sample thread_sample;

static bool thread_sample_now(int tid, thread_sample *s)
{
    char buf[2048];
    if (!read_task_file(tid, "schedstat", buf, sizeof buf))
        return false;
    s->on_cpu = strtoll(buf, NULL, 10);
    if (!read_task_file(tid, "status", buf, sizeof buf))
        return false;
    s->at = nanotime();
    const char *v = strstr(buf, "\nvoluntary_ctxt_switches:");
    if (!v)
        return false;
    s->voluntary = strtoll(v + sizeof "\nvoluntary_ctxt_switches:" - 1, NULL, 10);
    return true;
}

static void busy_measure_start(P *p, int tid)
{
    p->sysmon_busy_tid = tid;
    p->sysmon_busy = false;
    if (!thread_sample_now(tid, &p->sysmon_busy_sample))
        p->sysmon_busy_sample.at = 0;
}

static bool thread_wants_cpu(P *p, int tid)
{
    thread_sample *was = &p->sysmon_busy_sample, now;
    if (p->sysmon_busy_tid != tid || was->at == 0) {
        busy_measure_start(p, tid);
        return false;
    }
    if (nanotime() - was->at >= BUSY_WINDOW_NS && thread_sample_now(tid, &now)) {
        int64_t ran = now.on_cpu - was->on_cpu, window = now.at - was->at;
        p->sysmon_busy = ran * 8 >= window && (now.voluntary == was->voluntary || ran * 2 >= window);
        *was = now;
    }
    return p->sysmon_busy && thread_state(tid) == 'R';
}

static int64_t preempt_retry_ns(void)
{
    int64_t r = gort__config.preempt_after_ns / 10;
    return r > PREEMPT_RETRY_MIN_NS ? r : PREEMPT_RETRY_MIN_NS;
}

/* Returns true while the goroutine is overdue and being signalled: sysmon
 * then ticks at least every retry interval. */
static bool check_long_run(P *p, int64_t now)
{
    uint32_t tick = ld_acq(&p->schedtick);
    if (p->sysmon_schedtick != tick) {
        p->sysmon_schedtick = tick;
        p->sysmon_schedwhen = now;
        p->sysmon_busy_sample.at = 0;   /* another goroutine: measure its thread afresh */
        return false;
    }
    int64_t ran = now - p->sysmon_schedwhen;
    if (ran < gort__config.preempt_after_ns / 2)
        return false;
    M *m = ld_acq(&p->m);
    G *g = m ? ld_acq(&m->curg) : NULL;
    if (!g || ld_rlx(&g->status) != G_RUNNING)
        return false;
    if (ran < gort__config.preempt_after_ns) {
        /* Half a slice: start measuring its thread (thread_wants_cpu). */
        if (preempt_async_on() && m->tid && p->sysmon_busy_sample.at == 0)
            busy_measure_start(p, m->tid);
        return false;
    }
    if (!ld_rlx(&g->preempt)) {
        g->running_since = p->sysmon_schedwhen;
        if (cas(&g->preempt, 0, 1))
            xadd(&sched.preempt_pending, 1);
    }
    if (!preempt_async_on() || !m->tid)
        return false;
    if (now - p->sysmon_signal_when >= preempt_retry_ns()) {
        p->sysmon_signal_when = now;
        if (thread_wants_cpu(p, m->tid))
            preempt_request(m, now);
    }
    return true;
}

/* Reads /proc/self/task/TID/NAME into buf (NUL-terminated); false if it
 * cannot. */
static bool read_task_file(int tid, const char *name, char *buf, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/%s", tid, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, cap - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = 0;
    return true;
}

/* The state letter of thread tid (R running, S sleeping, D disk wait, ...),
 * or 0. */
static char thread_state(int tid)
{
    char buf[512];
    if (!read_task_file(tid, "stat", buf, sizeof buf))
        return 0;
    char *rp = strrchr(buf, ')');   /* the name may hold spaces and parentheses */
    return rp && rp[1] == ' ' ? rp[2] : 0;
}

/* The CPU time thread tid has run, in ns (its schedstat), or -1. */
static int64_t thread_cpu_ns(int tid)
{
    char buf[128];
    return read_task_file(tid, "schedstat", buf, sizeof buf) ? strtoll(buf, NULL, 10) : -1;
}

/* A goroutine blocked in the kernel without gort_syscall_enter holds its P
 * (C code cannot be taken off its thread).  After BLOCKED_AFTER_NS without
 * a switch, if its thread sleeps in the kernel, one P more is lent so that
 * the others run; it is given back once the thread runs again.  True if it
 * did something. */
static bool check_blocked(P *p, int64_t now)
{
    M *m = ld_acq(&p->m);
    if (p->sysmon_lent) {
        bool back = ld_acq(&p->status) != P_RUNNING || !m ||
                    ld_acq(&p->schedtick) != p->sysmon_lent_tick ||
                    thread_cpu_ns(m->tid) != p->sysmon_cpu || thread_state(m->tid) == 'R';
        if (back && return_lent_p()) {
            p->sysmon_lent = false;
            return true;
        }
        return false;
    }
    G *g = m ? ld_acq(&m->curg) : NULL;
    if (now - p->sysmon_schedwhen < BLOCKED_AFTER_NS || !g || ld_rlx(&g->status) != G_RUNNING ||
        !m->tid || ld_acq(&m->runtime_wait)) {
        p->sysmon_blocked_seen = false;
        return false;
    }
    char st = thread_state(m->tid);
    int64_t cpu = thread_cpu_ns(m->tid);
    if (st != 'S' && st != 'D') {
        p->sysmon_blocked_seen = false;
        return false;
    }
    /* Asleep, and still asleep BLOCKED_CONFIRM_NS later without having run
     * in between (its CPU time unchanged): a thread that runs may sleep for a
     * moment (a page fault, a contended lock, its turn under Valgrind's
     * serialising scheduler) without being blocked in a call. */
    if (!p->sysmon_blocked_seen || cpu != p->sysmon_cpu) {
        p->sysmon_blocked_seen = true;
        p->sysmon_cpu = cpu;
        p->sysmon_seen_when = now;
        return false;
    }
    if (now - p->sysmon_seen_when < BLOCKED_CONFIRM_NS)
        return false;
    p->sysmon_blocked_seen = false;
    if (!lend_p(p))
        return false;
    p->sysmon_lent = true;
    p->sysmon_lent_tick = ld_acq(&p->schedtick);
    return true;
}

static bool poll_network(int64_t now)
{
    if (netpoll_waiters() == 0 || now - netpoll_last_poll() < TICK_MAX_NS)
        return false;
    int n;
    G *list = netpoll(0, &n);
    if (!list)
        return false;
    inject_glist(list, n);
    return true;
}

static bool all_idle(void)
{
    return (int)ld_acq(&sched.npidle) >= ld_acq(&sched.gomaxprocs) && netpoll_waiters() == 0 &&
           ld_rlx(&sched.runq_size) == 0;
}

static void *sysmon_main(void *arg)
{
    (void)arg;
    /* ticks of 20 us: the default 50 us timer slack would stretch them */
    prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
    /* It takes the GOMAXPROCS mutex (trylock) like any caller, but it is
     * the runtime's own thread: never counted as a plain thread. */
    gort__thread_known = true;
    pthread_setname_np(pthread_self(), "gort-sysmon");
    int64_t delay = TICK_MIN_NS;
    int idle = 0;
    int64_t limit_checked = nanotime();
    for (;;) {
        if (idle > DEEP_AFTER_IDLE_TICKS && all_idle()) {
            uint32_t seq = ld_acq(&sysmon_word);
            st_rlx(&sched.sysmon_deep, 1);
            /* #StoreLoad: publish sysmon_deep before reading the idle
             * state again; pairs with the fence in sysmon_wake_up. */
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            if (all_idle())
                futex_wait(&sysmon_word, seq, NULL);
            st_rel(&sched.sysmon_deep, 0);
            idle = 0;
            delay = TICK_MIN_NS;
        }
        struct timespec ts = { 0, (long)delay };
        nanosleep(&ts, NULL);
        int64_t now = nanotime();
        bool acted = false, overdue = false;
        int n = ld_acq(&sched.nallp);
        for (int i = 0; i < n; i++) {
            P *p = sched.allp[i];
            uint32_t st = ld_acq(&p->status);
            if (st == P_SYSCALL)
                acted |= retake_syscall(p, now);
            else if (st == P_RUNNING && !ld_rlx(&sched.frozen_by)) {
                overdue |= check_long_run(p, now);   /* (a frozen world runs nothing on purpose) */
                acted |= check_blocked(p, now);
            } else if (p->sysmon_lent) {
                acted |= check_blocked(p, now);   /* its thread left: the loan ends */
            }
        }
        acted |= poll_network(now);
        stack_scavenge();
        if (now - limit_checked >= LIMIT_CHECK_NS) {
            limit_checked = now;
            gomaxprocs_follow_limit();
        }
        if (acted) {
            idle = 0;
            delay = TICK_MIN_NS;
        } else if (++idle > IDLE_TICKS_BEFORE_BACKOFF && delay < TICK_MAX_NS) {
            delay *= 2;
            if (delay > TICK_MAX_NS)
                delay = TICK_MAX_NS;
        }
        /* A goroutine overdue at an unsafe point is signalled again every
         * tenth of a slice: tick at least that often meanwhile. */
        if (overdue && delay > preempt_retry_ns())
            delay = preempt_retry_ns();
    }
    return NULL;
}

void sysmon_start(void)
{
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    int e = pthread_create(&th, &attr, sysmon_main, NULL);
    pthread_attr_destroy(&attr);
    if (e != 0)
        fatal("cannot start the runtime's monitor thread (sysmon): %s", strerror(e));
}

/* ---- test interface (conformance/internal) ---- */

/* What sysmon reads of thread tid (thread_sample_now): the CPU time it has
 * run (ns) and its voluntary context switches.  False if /proc could not
 * be read.  For the white-box tests (conformance/internal/export_test.c);
 * the runtime never calls this. */
bool sysmon_test_thread_sample(int tid, int64_t *on_cpu_ns, int64_t *voluntary)
{
    thread_sample s;
    if (!thread_sample_now(tid, &s))
        return false;
    *on_cpu_ns = s.on_cpu;
    *voluntary = s.voluntary;
    return true;
}
