/*
 * sched.c — the scheduler: Ms, Ps, spawning, parking, readying, exiting.
 *
 * Go's design (proc.go), in C.  An M runs goroutines only while it holds a
 * P.  Each P has a local run queue and runnext (runq.c); idle Ps and idle
 * Ms sit on lists under sched.lock.  Work is found in this order: timers
 * due on this P, the global queue every 61 ticks (fairness), runnext, the
 * local ring, the global queue, then stealing half of another P's ring
 * (and running other Ps' due timers).  At most about half of the busy Ps
 * have a spinning M looking for work; an M that finds none gives its P
 * back and sleeps on its note until startm hands it a P.  One idle M at a
 * time sleeps with a timeout until the earliest timer (the "timed
 * sleeper", where Go blocks in netpoll).
 *
 * Switching.  A goroutine that parks, yields or ends switches directly to
 * the next runnable goroutine of its P when there is one (no trip through
 * the scheduler stack: a yield is one switch), else to its M's g0, which
 * runs findrunnable.  What must happen only after the old goroutine's
 * registers are saved — publishing it on a wait queue, putting it back on
 * a run queue, recycling its stack — is left in m->hook and run first
 * thing on the new stack (run_hook).  That is how a goroutine is never
 * readied before it has finished switching away (Go's park_m unlock).
 *
 * The spinning/wake protocol is Go's "delicate dance": a spinning M that
 * gives up decrements nmspinning and then re-checks every run queue; a
 * producer makes work visible and then calls wakep, which starts an M only
 * if none is spinning.  One of the two always sees the other.
 */
#include "internal.h"
#include "arch/ctx.h"
#include "sanitize.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

sched_t gort__sched = { .lock = RT_LOCK_INIT(SCHED), .gfree_lock = RT_LOCK_INIT(GFREE) };

static __thread M *tls_m;
/* true on Ms and on plain threads already counted: one TLS load tells a
 * public entry point whether it must count its thread (read before any
 * switch, never kept across one). */
__thread bool gort__thread_known;
static pthread_key_t plain_thread_key;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* The only way to the current M.  Not inlined and opaque, so that the
 * compiler cannot keep a thread-local address across a switch. */
NOINLINE M *gort__getm(void)
{
    M *m = tls_m;
    __asm__ __volatile__("" : "+r"(m) :: "memory");
    return m;
}

NOINLINE G *gort__getg(void)
{
    M *m = gort__getm();
    return m ? m->curg : NULL;
}

static NOINLINE void set_m(M *m)
{
    tls_m = m;
    gort__thread_known = true;
    __asm__ __volatile__("" ::: "memory");
}

/* xorshift32, per M; a plain thread (a select from a pthread) has its own
 * seed in a thread-local, so threads never share one unsynchronised. */
uint32_t fastrand(void)
{
    M *m = gort__getm();
    static __thread uint32_t plain_seed;
    uint32_t *s = &plain_seed;
    if (m)
        s = &m->fastrand;
    else if (plain_seed == 0)
        plain_seed = (uint32_t)nanotime() | 1;
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

int64_t nanotime(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t coarse_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int gomaxprocs_now(void) { return ld_rlx(&sched.gomaxprocs); }
static inline void stat_inc(int64_t *c) { st_rlx(c, *c + 1); }

/* ---- Ps ---------------------------------------------------------------- */

static P *p_new(int id)
{
    P *p = aligned_alloc(CACHELINE, sizeof(P));
    if (!p)
        fatal("runtime: cannot allocate processor %d: out of memory", id);
    memset(p, 0, sizeof *p);
    p->id = id;
    p->status = P_IDLE;
    rt_lock_init(&p->timer_lock, LOCK_RANK_TIMERS);
    return p;
}

static void pidle_put_locked(P *p)
{
    st_rel(&p->status, P_IDLE);
    st_rel(&p->m, NULL);
    p->link = sched.pidle;
    sched.pidle = p;
    xadd(&sched.npidle, 1);
}

static P *pidle_get_locked(void)
{
    P *p = sched.pidle;
    if (p) {
        sched.pidle = p->link;
        p->link = NULL;
        xadd(&sched.npidle, -1);
    }
    return p;
}

static void acquirep(M *m, P *p)
{
    m->p = p;
    st_rel(&p->m, m);
    st_rel(&p->status, P_RUNNING);
    trace_proc(TRACE_PROC_START, m, p);
    sysmon_wake_up();   /* out of its deep sleep, if it is in one */
}

static P *releasep(M *m)
{
    P *p = m->p;
    trace_proc(TRACE_PROC_STOP, m, p);   /* before another M can take it */
    m->p = NULL;
    st_rel(&p->m, NULL);   /* sysmon reads it */
    return p;
}

/* ---- G descriptors and their caches ------------------------------------ */

static G *g_alloc_fresh(void)
{
    G *g = calloc(1, sizeof(G));
    if (!g)
        return NULL;
    allg_add(g);
    return g;
}

/* The global G caches (under sched.gfree_lock): one of descriptors that
 * keep a stack, one of those without.  These two are the only ways in and
 * out of them. */
static void gfree_global_put_locked(G *g)
{
    if (g->stk.lo) {
        g->schedlink = sched.gfree_stack;
        sched.gfree_stack = g;
        sched.gfree_stack_n++;
    } else {
        g->schedlink = sched.gfree_nostack;
        sched.gfree_nostack = g;
        sched.gfree_nostack_n++;
    }
}

/* One with a stack if there is one; NULL if both are empty. */
static G *gfree_global_get_locked(void)
{
    G *g = sched.gfree_stack;
    if (g) {
        sched.gfree_stack = g->schedlink;
        sched.gfree_stack_n--;
    } else if ((g = sched.gfree_nostack) != NULL) {
        sched.gfree_nostack = g->schedlink;
        sched.gfree_nostack_n--;
    }
    return g;
}

/* Returns a descriptor with a stack of the rounded size `ssize`. */
static G *gfget(P *p, size_t ssize)
{
    G *g = NULL;
    if (p) {
        if (!p->gfree && (ld_rlx(&sched.gfree_stack_n) || ld_rlx(&sched.gfree_nostack_n))) {
            /* refill half the local cache from the global one */
            rt_lock_acquire(&sched.gfree_lock);
            G *x;
            while (p->gfree_n < GFREE_LOCAL_MAX / 2 && (x = gfree_global_get_locked()) != NULL) {
                x->schedlink = p->gfree;
                p->gfree = x;
                p->gfree_n++;
            }
            rt_lock_release(&sched.gfree_lock);
        }
        g = p->gfree;
        if (g) {
            p->gfree = g->schedlink;
            p->gfree_n--;
        }
    } else {
        rt_lock_acquire(&sched.gfree_lock);
        g = gfree_global_get_locked();
        rt_lock_release(&sched.gfree_lock);
    }
    if (!g && !(g = g_alloc_fresh()))
        return NULL;
    if (g->stk.lo && g->stk.size != ssize)
        stack_free(&g->stk);
    if (!g->stk.lo && !stack_alloc(&g->stk, ssize)) {
        /* keep the descriptor for later */
        rt_lock_acquire(&sched.gfree_lock);
        gfree_global_put_locked(g);
        rt_lock_release(&sched.gfree_lock);
        return NULL;
    }
    return g;
}

#define GFREE_GLOBAL_STACK_MAX 1024

/* Returns a dead G to p's cache; overflow goes to the global cache, where
 * only a bounded number keep their stacks (the rest give them back). */
static void gfput(P *p, G *g)
{
    st_rlx(&g->status, G_IDLE);
    if (g->stk.size != stack_default_size())
        stack_free(&g->stk);
    else
        stack_trim(&g->stk, g->stack_low_seen);   /* if it was seen parked deep */
    g->schedlink = p->gfree;
    p->gfree = g;
    p->gfree_n++;
}

/* Moves half of a full local cache to the global one.  Not done in gfput,
 * which runs as a hook on whatever stack comes next: this is called from the
 * exiting goroutine (on its own stack) and from g0.  Stacks that went deep
 * without parking there give their deep pages back on the way. */
static void gfree_spill(P *p)
{
    if (p->gfree_n < GFREE_LOCAL_MAX)
        return;
    G *x = p->gfree, *drop = NULL;
    for (int i = p->gfree_n; i > GFREE_LOCAL_MAX / 2; i--, x = x->schedlink)
        if (x->stk.lo && stack_went_deep(&x->stk))
            stack_trim(&x->stk, NULL);
    rt_lock_acquire(&sched.gfree_lock);
    while (p->gfree_n > GFREE_LOCAL_MAX / 2) {
        x = p->gfree;
        p->gfree = x->schedlink;
        p->gfree_n--;
        if (x->stk.lo && sched.gfree_stack_n < GFREE_GLOBAL_STACK_MAX) {
            gfree_global_put_locked(x);
        } else {
            x->schedlink = drop;
            drop = x;
        }
    }
    rt_lock_release(&sched.gfree_lock);
    /* Give stacks back outside the lock, then file the descriptors. */
    if (drop) {
        for (G *d = drop; d; d = d->schedlink)
            stack_free(&d->stk);
        rt_lock_acquire(&sched.gfree_lock);
        while (drop) {
            G *d = drop;
            drop = d->schedlink;
            gfree_global_put_locked(d);
        }
        rt_lock_release(&sched.gfree_lock);
    }
}

/* ---- goroutine counts ---------------------------------------------------
 * Created and exited counts are per P (plus a shared pair for goroutines
 * spawned or ended without a P).  Exits are summed before creations, so a
 * goroutine whose end is counted always has its creation counted too. */
int64_t goroutines_alive(void)
{
    int64_t exited = ld_acq(&sched.exited_nop), created;
    int n = ld_acq(&sched.nallp);
    for (int i = 0; i < n; i++)
        exited += ld_acq(&sched.allp[i]->st_exited);
    created = ld_acq(&sched.created_nop);
    for (int i = 0; i < n; i++)
        created += ld_acq(&sched.allp[i]->st_created);
    return created - exited;
}

/* ---- Ms ---------------------------------------------------------------- */

static M *m_alloc(void)
{
    M *m = calloc(1, sizeof(M));
    if (!m)
        fatal("runtime: cannot allocate an M: out of memory");
    m->fastrand = (uint32_t)nanotime() | 1;
    rt_lock_acquire(&sched.lock);
    if (sched.mcount >= gort__config.max_threads) {
        /* Go's checkmcount: a runaway (threads piling up in system calls)
         * ends here rather than exhausting the machine. */
        int limit = gort__config.max_threads;
        rt_lock_release(&sched.lock);
        char line[96];
        int n = snprintf(line, sizeof line, "runtime: program exceeds %d-thread limit\n", limit);
        gort__write_all(2, line, (size_t)n);
        fatal("thread exhaustion");
    }
    m->id = sched.mnext++;
    sched.mcount++;
    m->alllink = sched.allm;
    st_rel(&sched.allm, m);   /* timer_wait_idle walks the list without the lock */
    m->fastrand ^= (uint32_t)m->id * 0x9e3779b9u;
    rt_lock_release(&sched.lock);
    return m;
}

static _Noreturn void schedule_loop(M *m);

/* Ms sleep until timers with futex timeouts: the default 50 us timer slack
 * would be most of a 1 ms sleep's error, so runtime threads ask for 1 us. */
static void m_thread_setup(M *m)
{
    m->tid = (int)syscall(SYS_gettid);
    m->race_g0 = race_fiber_current();
    /* The thread's TLS (errno, libc's state) was set up by its own fiber;
     * goroutines that run here acquire this (race_acquire in switch_from
     * and goroutine_entry) so TSan does not report their use of it. */
    race_release(m);
    prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *lo;
        size_t size;
        if (pthread_attr_getstack(&attr, &lo, &size) == 0) {
            m->g0_lo = lo;
            m->g0_size = size;
        }
        pthread_attr_destroy(&attr);
    }
    signals_thread_init(m);
    preempt_thread_init(m);
}

/* The program's name (its main thread's, at start-up): an M's thread takes
 * it, as a Go program's threads all show the program's name, rather than
 * the name of whichever thread made it (sysmon starts Ms too). */
static char program_comm[16];

static void note_program_comm(void)
{
    char buf[sizeof program_comm];
    int fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return;
    buf[n] = 0;
    buf[strcspn(buf, "\n")] = 0;
    memcpy(program_comm, buf, sizeof program_comm);
}

static void *mstart(void *arg)
{
    M *m = arg;
    set_m(m);
    if (program_comm[0])
        prctl(PR_SET_NAME, program_comm, 0, 0, 0);
    m_thread_setup(m);
    acquirep(m, m->nextp);
    m->nextp = NULL;
    schedule_loop(m);
}

/* ---- the scheduler stack (Go's systemstack) ------------------------------
 * Runtime code runs on the stack of whichever goroutine called it, and a
 * goroutine's stack may be a 1 KiB packed one (stack.c).  Our own frames
 * are few and small; libc's are not ours to bound: starting a thread
 * (malloc, pthread_create) took over 1.5 KiB of a 2 KiB stack, and wrote
 * over the saved registers of the packed stack below it.  Such calls go
 * through systemstack, which runs them on the M's scheduler stack (g0).
 * While a goroutine runs, g0 is suspended at m->g0_sp and nothing else
 * uses the stack below it: the M runs one thing at a time, and signals
 * run on the signal stack.  Owner: the M's own thread. */
#define SYSTEMSTACK_GAP 256   /* below g0's saved frame: its red zone and more */
#define SYSTEMSTACK_VG_BYTES (64 << 10)   /* what Valgrind is told may be used */

struct systemstack_call {
    void (*fn)(void *);
    void *arg;
    G    *g;   /* the caller, whose stack the call returns to */
};

static void systemstack_body(void *arg)
{
    struct systemstack_call *c = arg;
    san_switch_end(NULL);   /* a context that lives only for this call */
    race_ignore_begin();    /* here: TSan takes a stack trace, kilobytes deep */
    c->fn(c->arg);
    race_ignore_end();
    san_switch_begin(NULL, c->g->stk.lo, c->g->stk.size);
}

/* Runs fn(arg) on the scheduler stack, and returns on the caller's.  A
 * plain call where the caller is g0 or a plain thread (their stacks are the
 * thread's).  Not preemptible while there: the signal handler finds the
 * stack pointer off the goroutine's stack (preempt.c, at_safe_point).
 * Under TSan the call's memory accesses are not recorded (sanitize.h,
 * race_ignore_begin). */
void systemstack(void (*fn)(void *), void *arg)
{
    M *m = gort__getm();
    G *g = m ? m->curg : NULL;
    if (!g) {
        fn(arg);
        return;
    }
    struct systemstack_call c = { fn, arg, g };
    void *fake = NULL;
    char *top = (char *)m->g0_sp - SYSTEMSTACK_GAP;
    char *lo = top - SYSTEMSTACK_VG_BYTES;
    if (m->g0_lo && lo < m->g0_lo)
        lo = m->g0_lo;
    stack_scheduler_stack_usable(lo, top);
    san_switch_begin(&fake, m->g0_lo, m->g0_size);
    gort_call_on_stack(top, systemstack_body, &c);
    san_switch_end(fake);
}

struct newm_args {
    P   *p;
    bool spinning;
};

static void newm_on_g0(void *arg);

/* Starts a thread to run p.  Always on the scheduler stack (systemstack):
 * see above. */
static void newm(P *p, bool spinning)
{
    struct newm_args a = { p, spinning };
    systemstack(newm_on_g0, &a);
}

static void newm_on_g0(void *arg)
{
    P *p = ((struct newm_args *)arg)->p;
    bool spinning = ((struct newm_args *)arg)->spinning;
    M *m = m_alloc();
    m->nextp = p;
    m->spinning = spinning;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* g0 runs only the scheduler and commit hooks */
    pthread_attr_setstacksize(&attr, 256 << 10);
    pthread_t th;
    int err = pthread_create(&th, &attr, mstart, m);
    pthread_attr_destroy(&attr);
    if (err != 0)
        fatal("runtime: failed to create new OS thread (have %d already; errno=%d: %s)",
              sched.mcount - 1, err, strerror(err));
}

/* Starts an M on p (or on an idle P if p is NULL).  Go's startm. */
static void startm(P *p, bool spinning)
{
    rt_lock_acquire(&sched.lock);
    if (!p) {
        p = pidle_get_locked();
        if (!p) {
            rt_lock_release(&sched.lock);
            if (spinning)
                xadd(&sched.nmspinning, -1);
            return;
        }
    }
    M *m = sched.midle;
    if (m) {
        sched.midle = m->link;
        sched.nmidle--;
    }
    rt_lock_release(&sched.lock);
    if (!m) {
        newm(p, spinning);
        return;
    }
    m->spinning = spinning;
    m->nextp = p;
    note_wakeup(&m->park);
}

/* Makes sure an M will look for the work just made available, if there is
 * an idle P and nobody is already looking. */
void wakep(void)
{
    /* #StoreLoad: the work the caller made visible (a run queue slot, the
     * global queue) before the loads of npidle and nmspinning.  Pairs with
     * the fence a spinning M makes between leaving the spinning count and
     * looking at the queues again (findrunnable, "the delicate dance"): one
     * of the two sees the other, so no work is left with nobody looking.
     * (Go gets this from the XCHG its runqput's store-release is on amd64.) */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (ld_rlx(&sched.npidle) == 0)
        return;
    if (ld_rlx(&sched.nmspinning) != 0 || !cas(&sched.nmspinning, 0, 1))
        return;
    startm(NULL, true);
}

static bool checkdead_locked(bool final);
#define CHECKDEAD_GRACE_NS (100 * 1000000LL)
static void unwire_preempted(M *m, G *g);
static void rescue_queued_work(P *blocked, P *to);
static bool handoff_to_wired(M *m, P *p);

/* Sleeps on m's note until startm or startlockedm hands it a P (in
 * m->nextp).  The note is cleared after waking, not before sleeping, so a
 * wake-up that comes first (a wired goroutine readied before its thread
 * got here) is not lost; it is clear whenever the M runs.  With `recheck`
 * (checkdead wanted a second look after a grace period), the verdict is
 * taken again then unless the M was woken meanwhile. */
static void m_sleep(M *m, bool recheck)
{
    if (recheck && !note_sleep_until(&m->park, nanotime() + CHECKDEAD_GRACE_NS)) {
        rt_lock_acquire(&sched.lock);
        if (ld_acq(&m->park.key) == 0)
            checkdead_locked(true);
        rt_lock_release(&sched.lock);
    }
    note_sleep(&m->park);
    note_clear(&m->park);
    acquirep(m, m->nextp);
    m->nextp = NULL;
}

/* Parks m until startm hands it a P.  Go's stopm. */
static void stopm(M *m)
{
    stack_scavenge();
    rt_lock_acquire(&sched.lock);
    m->link = sched.midle;
    sched.midle = m;
    sched.nmidle++;
    bool recheck = checkdead_locked(false);
    rt_lock_release(&sched.lock);
    m_sleep(m, recheck);
}

/* Threads in this process that are neither Ms nor counted plain threads. */
static int unknown_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n - sched.mcount - (int)ld_acq(&sched.system_threads);
}

/* Go's checkdead, run when an M goes idle (so it costs nothing while
 * anything runs).  Under gort_main, if every M is idle there is no running
 * goroutine, no runnable one (the last M to go idle looked everywhere), no
 * timer (its M would be the timed sleeper, not idle) and no counted plain
 * thread that could still wake a goroutine: nothing can ever run again.
 * A thread gort does not know yet may be about to make its first call, so
 * while such threads exist the verdict waits for a recheck (`final`) after
 * a grace period.  Returns true when a recheck is wanted. */
static bool checkdead_locked(bool final)
{
    if (!sched.under_gort_main || sched.nmidle + sched.nmidlelocked < sched.mcount)
        return false;
    if (ld_acq(&sched.plain_threads) != 0 || timers_next() != 0 || netpoll_waiters() > 0)
        return false;
    int64_t alive = goroutines_alive();
    bool goexit_dead = ld_rlx(&sched.main_goexited) && alive == 0;
    bool asleep = alive > 0 && ld_rlx(&sched.runq_size) == 0;
    if (!goexit_dead && !asleep)
        return false;
    if (!final && unknown_threads() > 0)
        return true;
    if (goexit_dead)
        fatal_nodump("no goroutines (main called runtime.Goexit) - deadlock!");
    fatal_deadlock();
}

static void reset_spinning(M *m)
{
    m->spinning = false;
    uint32_t n = xadd(&sched.nmspinning, -1);
    if ((int32_t)n < 0)
        fatal("findrunnable: negative nmspinning");
    /* We were looking and found work; someone else should look for more. */
    wakep();
}

/* ---- Running a goroutine ----------------------------------------------- */

static void run_hook(M *m)
{
    hook_fn h = m->hook;
    if (h) {
        m->hook = NULL;
        h(m, m->hook_g, m->hook_arg);
    }
}

static void execute(M *m, G *g)
{
    P *p = m->p;
    p->schedtick++;
    stat_inc(&p->st_switches);
    g->m = m;
    st_rlx(&g->status, G_RUNNING);
    st_rel(&m->curg, g);   /* sysmon and the dump read it */
    trace_go_start(m, p, g);
    void *fake = NULL;
    san_switch_begin(&fake, g->stk.lo, g->stk.size);
    race_fiber_switch(g->race_fiber);
    gort_ctx_switch(&m->g0_sp, g->sp);
    san_switch_end(fake);
}

/* Switches from the running goroutine `from` to `to` (on m's P), or to
 * g0 when `to` is NULL.  Returns when `from` is resumed, on whatever M.
 * `why` (enum trace_why) is what the trace records for `from`: -1 when it
 * was recorded already (it left a system call without a P). */
static void switch_from(M *m, G *from, G *to, int why)
{
    /* The hook left for the next stack may need a few KiB (a timer heap
     * growing, a thread being started): too much for a sub-page stack,
     * so such a goroutine is reached through g0. */
    /* Nor is a goroutine wired to another thread, and a thread wired to
     * `from` runs nothing else: both go through g0 (schedule_loop). */
    if (to && unlikely(to->stk.kind == STACK_KIND_PACKED || to->lockedm || m->lockedg)) {
        runq_put(m->p, to, true);
        to = NULL;
    }
    if (unlikely(ld_rlx(&from->preempt)) && cas(&from->preempt, 1, 0))
        xadd(&sched.preempt_pending, -1);   /* it switches anyway */
    /* Recorded before the hook publishes the switch (a park's unlock): a
     * waker's GoUnpark, or the P's next goroutine on another M, follows.
     * One branch for both ends of the switch. */
    if (TRACE_ON())
        trace_switch_slow(m, from, to, why);
    /* a goroutine that has ended keeps no sanitizer state */
    bool dying = ld_rlx(&from->status) == G_DEAD;
    void *fake = NULL, **fake_save = dying ? NULL : &fake;
    if (to) {
        P *p = m->p;
        p->schedtick++;
        stat_inc(&p->st_switches);
        to->m = m;
        st_rlx(&to->status, G_RUNNING);
        st_rel(&m->curg, to);
        san_switch_begin(fake_save, to->stk.lo, to->stk.size);
        if (dying)
            race_release(from->stk.lo);   /* for the stack's next goroutine */
        race_fiber_switch(to->race_fiber);
        gort_ctx_switch(&from->sp, to->sp);
    } else {
        st_rel(&m->curg, NULL);
        san_switch_begin(fake_save, m->g0_lo, m->g0_size);
        if (dying)
            race_release(from->stk.lo);
        race_fiber_switch(m->race_g0);
        gort_ctx_switch(&from->sp, m->g0_sp);
    }
    san_switch_end(fake);
    M *now = gort__getm();
    race_acquire(now);
    run_hook(now);
}

/* The next goroutine this P can run without the scheduler's full search,
 * or NULL when it must go through g0 (timers due, fairness tick, nothing
 * local, or this P is being retired by gort_gomaxprocs). */
static G *next_fast(P *p)
{
    if (unlikely(ld_rlx(&sched.frozen_by) != NULL))
        return NULL;
    if (unlikely(p->id >= gomaxprocs_now()))
        return NULL;
    if (unlikely(ld_rlx(&p->timer0_when) != 0) && nanotime() >= ld_rlx(&p->timer0_when))
        return NULL;
    if (unlikely((p->schedtick % 61) == 0) && ld_rlx(&sched.runq_size) != 0)
        return NULL;
    return runq_get(p, NULL);
}

static void check_stack(G *g)
{
    if (unlikely(!stack_check_canary(&g->stk)))
        fatal_nodump("stack overflow (goroutine %llu, created by %s:%d; its stack of %zu bytes "
                     "has no guard page, the overflow was found by its canary)",
                     (unsigned long long)g->id, g->file ? g->file : "?", g->line, g->stk.size);
}

static void park_hook(M *m, G *g, void *arg)
{
    if ((char *)g->sp < g->stack_low_seen)
        g->stack_low_seen = g->sp;
    commit_fn commit = m->hook_commit;
    if (commit && !commit(g, arg)) {
        st_rlx(&g->status, G_RUNNABLE);
        if (TRACE_ON())   /* the park was called off: recorded as its own unpark */
            trace_go_unpark_by_slow(g, g, m->p);
        runq_put(m->p, g, true);
    }
}

void park(commit_fn commit, void *arg, int reason)
{
    park_g(gort__getg(), commit, arg, reason);
}

void park_g(G *g, commit_fn commit, void *arg, int reason)
{
    M *m = g->m;   /* g runs on m until it switches away */
    check_stack(g);
    if (unlikely(g->lock_int))
        unwire_preempted(m, g);
    g->wait_reason = (uint8_t)reason;
    g->wait_since = coarse_now();
    st_rlx(&g->status, G_WAITING);
    m->hook = park_hook;
    m->hook_commit = commit;
    m->hook_g = g;
    m->hook_arg = arg;
    switch_from(m, g, next_fast(m->p), TRACE_WHY_PARK);
}

void ready(G *g)
{
    st_rlx(&g->status, G_RUNNABLE);
    trace_go_unpark(g);
    M *m = gort__getm();
    if (m && m->p)
        runq_put(m->p, g, true);
    else
        globrunq_put(g);
    wakep();
}

static void yield_hook(M *m, G *g, void *to_global)
{
    st_rlx(&g->status, G_RUNNABLE);
    if (to_global) {
        globrunq_put(g);
    } else {
        runq_put(m->p, g, false);
    }
}

/* With nothing in p's own queues: could the scheduler find another
 * goroutine to run (global work, due timers, another P's queue), or must it
 * run anyway (this P is being retired, the world is frozen)? */
static bool others_could_run(P *p)
{
    bool must = p->id >= gomaxprocs_now() || ld_rlx(&sched.runq_size) != 0 ||
                ld_rlx(&sched.frozen_by) != NULL ||
                (ld_rlx(&p->timer0_when) != 0 && nanotime() >= ld_rlx(&p->timer0_when));
    int n = gomaxprocs_now();
    for (int i = 0; i < n && !must && n > 1; i++)
        must = sched.allp[i] != p && !runq_empty(sched.allp[i]);
    return must;
}

static void yield_as(int why);

void gort_yield(void)
{
    NOTE_THREAD();
    yield_as(TRACE_WHY_YIELD);
}

/* The goroutine gives way because sysmon asked (PREEMPT_POINT). */
void yield_preempted(void)
{
    yield_as(TRACE_WHY_PREEMPT);
}

static void yield_as(int why)
{
    M *m = gort__getm();
    G *g = m ? m->curg : NULL;
    if (!g) {
        sched_yield();
        return;
    }
    if (unlikely(g->lock_int))
        unwire_preempted(m, g);
    P *p = m->p;
    G *next = next_fast(p);
    if (next) {
        m->hook = yield_hook;
        m->hook_g = g;
        m->hook_arg = NULL;
        switch_from(m, g, next, why);
        return;
    }
    /* Nothing local: go through the scheduler only if it could find
     * something else (global work, due timers) or must retire this P. */
    if (!others_could_run(p)) {
        p->schedtick++;   /* it did yield: sysmon must not count it as running on */
        return;
    }
    m->hook = yield_hook;
    m->hook_g = g;
    m->hook_arg = (void *)1;
    switch_from(m, g, NULL, why);
}

static void exit_hook(M *m, G *g, void *arg)
{
    (void)arg;
    race_fiber_free(g->race_fiber);
    g->race_fiber = NULL;
    gfput(m->p, g);
}

_Noreturn void goexit_final(void)
{
    M *m = gort__getm();
    G *g = m->curg;
    P *p = m->p;
    check_stack(g);
    panic_free_messages(g);
    if (unlikely(g->lockedm != NULL)) {
        /* Ending while gort_lock_os_thread holds it: the thread goes too
         * (schedule_loop: mexit), as in Go.  A preemption's wiring ends. */
        m->exit_thread = g->lock_ext != 0;
        g->lock_ext = 0;
        g->lock_int = false;
        g->lockedm = NULL;
        m->lockedg = NULL;
    }
    gfree_spill(p);   /* here, on our own stack, not in the exit hook */
    st_rlx(&g->status, G_DEAD);
    g->fn = NULL;
    g->m = NULL;
    stat_inc(&p->st_exited);
    m->hook = exit_hook;
    m->hook_g = g;
    m->hook_arg = NULL;
    switch_from(m, g, m->exit_thread ? NULL : next_fast(p), TRACE_WHY_END);
    fatal("goexit: a dead goroutine was resumed");
}

/* ---- Finding work ------------------------------------------------------ */

static void p_retire(P *p);

/* Runs due timers of every P (their goroutines land on our P). */
static void run_all_timers(M *m, int64_t now)
{
    int n = gomaxprocs_now();
    for (int i = 0; i < n; i++) {
        P *v = sched.allp[i];
        int64_t w = ld_rlx(&v->timer0_when);
        if (w != 0 && w <= now)
            timers_run(v, now);
    }
    (void)m;
}

static G *steal_work(M *m)
{
    P *p = m->p;
    for (int round = 0; round < 4; round++) {
        bool last = round == 3;
        int n = gomaxprocs_now();
        uint32_t start = fastrand() % (uint32_t)n;
        for (int i = 0; i < n; i++) {
            P *v = sched.allp[(start + (uint32_t)i) % (uint32_t)n];
            if (v == p)
                continue;
            if (last) {
                int64_t w = ld_rlx(&v->timer0_when);
                if (w != 0 && w <= nanotime()) {
                    timers_run(v, nanotime());
                    G *g = runq_get(p, NULL);
                    if (g)
                        return g;
                }
            }
            G *g = runq_steal(p, v, last);
            if (g)
                return g;
        }
    }
    return NULL;
}

/* Sleeps (without a P) until the earliest timer (`until`, 0: none) or
 * until a new earlier timer breaks the sleep; when goroutines wait on
 * descriptors (`poll`), the sleep is an epoll_wait, so one thread serves
 * timers and descriptors, and *ready gets what the poller made runnable.
 * Only one M at a time does this: false if another has the role. */
static bool timed_sleep(int64_t until, bool poll, G **ready, int *nready)
{
    *ready = NULL;
    *nready = 0;
    int64_t none = 0, claim = until ? until : INT64_MAX;
    if (!__atomic_compare_exchange_n(&sched.timed_until, &none, claim, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST))
        return false;
    uint32_t seq = ld_acq(&sched.timed_wake);
    /* #StoreLoad: timed_until is published (the CAS) before we look at
     * the poller waiters and the timers; pairs with the fences in
     * poller_wanted and timers_wake_sleeper.  A waiter or a timer that
     * came before we published did not see us, so we see it. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!poll && netpoll_waiters() > 0)
        poll = true;
    __atomic_store_n(&sched.timed_in_poll, poll ? 1u : 0u, __ATOMIC_SEQ_CST);
    /* #StoreLoad again: timed_in_poll before the timers (an adder that
     * read the old timed_in_poll woke the futex we will not sleep on). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    int64_t next = timers_next();
    if (next != 0 && next < claim) {
        __atomic_store_n(&sched.timed_in_poll, 0u, __ATOMIC_SEQ_CST);
        st_rel(&sched.timed_until, 0);
        return true;
    }
    if (poll) {
        *ready = netpoll(claim, nready);
    } else if (claim != INT64_MAX) {
        struct timespec ts = { claim / 1000000000, claim % 1000000000 };
        futex_wait(&sched.timed_wake, seq, &ts);
    }
    __atomic_store_n(&sched.timed_in_poll, 0u, __ATOMIC_SEQ_CST);
    st_rel(&sched.timed_until, 0);
    return true;
}

void timers_wake_sleeper(int64_t when)
{
    /* #StoreLoad: the timer is in its heap (timer0_when stored) before we
     * look for a sleeper; pairs with the fences in timed_sleep. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    int64_t until = __atomic_load_n(&sched.timed_until, __ATOMIC_SEQ_CST);
    if (until != 0) {
        if (when < until) {
            if (__atomic_load_n(&sched.timed_in_poll, __ATOMIC_SEQ_CST)) {
                netpoll_break();
            } else {
                xadd(&sched.timed_wake, 1);
                futex_wake(&sched.timed_wake, 1);
            }
        }
    } else {
        wakep();
    }
}

/* A goroutine started waiting on a descriptor: a timed sleeper sleeping
 * on its futex must move to epoll_wait.  (With no sleeper, the M that
 * parked the goroutine polls when it goes idle, sysmon meanwhile.) */
void poller_wanted(void)
{
    /* #StoreLoad: the waiter count was raised before we look for a
     * sleeper; pairs with the first fence in timed_sleep. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&sched.timed_until, __ATOMIC_SEQ_CST) != 0 &&
        !__atomic_load_n(&sched.timed_in_poll, __ATOMIC_SEQ_CST)) {
        xadd(&sched.timed_wake, 1);
        futex_wake(&sched.timed_wake, 1);
    }
}

/* Go's injectglist: the poller's runnable goroutines go to this M's P, or
 * to the global queue from a thread without one; idle Ps are woken. */
void inject_glist(G *list, int n)
{
    if (!list)
        return;
    M *m = gort__getm();
    if (m && m->p) {
        while (list) {
            G *g = list;
            list = g->schedlink;
            runq_put(m->p, g, false);
        }
    } else {
        G *tail = list;
        while (tail->schedlink)
            tail = tail->schedlink;
        rt_lock_acquire(&sched.lock);
        globrunq_put_batch_locked(list, tail, n);
        rt_lock_release(&sched.lock);
    }
    wakep();
}

/* The first of a poller's list to run now, the rest injected. */
static G *take_polled(G *list, int n)
{
    G *g = list;
    if (n > 1)
        inject_glist(g->schedlink, n - 1);
    g->schedlink = NULL;
    return g;
}

/* ---- System calls (Go's entersyscall / exitsyscall) -------------------- */

/* sysmon took p from a system call (P_SYSCALL -> P_IDLE by CAS): an M
 * runs it if it has work, otherwise it goes idle (its timers then wake the
 * timed sleeper).  Go's handoffp. */
void handoffp(P *p)
{
    if (!runq_empty(p) || ld_rlx(&sched.runq_size) != 0) {
        startm(p, false);
        return;
    }
    rt_lock_acquire(&sched.lock);
    pidle_put_locked(p);
    rt_lock_release(&sched.lock);
    int64_t when = ld_rlx(&p->timer0_when);
    if (when != 0)
        timers_wake_sleeper(when);
}

void gort_syscall_enter(void)
{
    NOTE_THREAD();
    M *m = gort__getm();
    G *g = m ? m->curg : NULL;
    if (!g)
        return;   /* a plain thread or g0: no processor to hand off */
    if (m->in_syscall)
        fatal("gort_syscall_enter: already in a system call (gort_syscall_exit missing)");
    P *p = m->p;
    m->in_syscall = true;
    m->oldp = p;
    g->wait_reason = WAIT_SYSCALL;
    st_rlx(&g->status, G_SYSCALL);
    if (TRACE_ON()) {   /* before sysmon may hand p to another M */
        trace_go_stop_slow(p, g, TRACE_WHY_SYSCALL);
        trace_proc_slow(TRACE_PROC_STOP, m, p);
    }
    m->p = NULL;
    st_rel(&p->m, NULL);
    xadd(&p->syscalltick, 1);
    st_rel(&p->status, P_SYSCALL);
}

static void exitsyscall_hook(M *m, G *g, void *arg)
{
    (void)m;
    (void)arg;
    globrunq_put(g);
    wakep();
}

void gort_syscall_exit(void)
{
    NOTE_THREAD();
    M *m = gort__getm();
    G *g = m ? m->curg : NULL;
    if (!g)
        return;
    if (!m->in_syscall)
        fatal("gort_syscall_exit without gort_syscall_enter");
    m->in_syscall = false;
    P *p = m->oldp;
    m->oldp = NULL;
    /* Fast path: nobody took our P. */
    if (cas(&p->status, P_SYSCALL, P_RUNNING)) {
        m->p = p;
        st_rel(&p->m, m);
        st_rlx(&g->status, G_RUNNING);
        if (TRACE_ON()) {
            trace_proc_slow(TRACE_PROC_START, m, p);
            trace_go_start_slow(m, p, g);
        }
        return;
    }
    /* Taken: any idle P will do. */
    rt_lock_acquire(&sched.lock);
    P *p2 = pidle_get_locked();
    rt_lock_release(&sched.lock);
    if (p2) {
        acquirep(m, p2);
        st_rlx(&g->status, G_RUNNING);
        trace_go_start(m, p2, g);
        return;
    }
    /* None: the goroutine queues for a P; this M stops (schedule_loop), or,
     * if the goroutine is wired to it, waits for its turn. */
    if (unlikely(g->lock_int))
        unwire_preempted(m, g);
    st_rlx(&g->status, G_RUNNABLE);
    m->hook = exitsyscall_hook;
    m->hook_g = g;
    m->hook_arg = NULL;
    switch_from(m, g, NULL, -1);   /* its stop was recorded at gort_syscall_enter */
}

/* Returns a runnable goroutine; m holds a P on return.  Go's findRunnable. */
static G *findrunnable(M *m)
{
    G *g;
top:;
    P *p = m->p;
    if (unlikely(p->id >= gomaxprocs_now())) {
        /* An M that sleeps must not stay counted as spinning: wakep would
         * then leave every new goroutine to it (a hang seen under TSan
         * when GOMAXPROCS shrank under a freshly started spinning M). */
        if (m->spinning) {
            m->spinning = false;
            if ((int32_t)xadd(&sched.nmspinning, -1) < 0)
                fatal("findrunnable: negative nmspinning");
        }
        p_retire(releasep(m));
        stopm(m);
        goto top;
    }
    gfree_spill(p);
    int64_t tw = ld_rlx(&p->timer0_when);
    if (tw != 0) {
        int64_t now = nanotime();
        if (now >= tw)
            timers_run(p, now);
    }
    if ((p->schedtick % 61) == 0 && ld_rlx(&sched.runq_size) != 0) {
        rt_lock_acquire(&sched.lock);
        g = globrunq_get_locked(p, 1);
        rt_lock_release(&sched.lock);
        if (g)
            return g;
    }
    if ((g = runq_get(p, NULL)))
        return g;
    if (ld_rlx(&sched.runq_size) != 0) {
        rt_lock_acquire(&sched.lock);
        g = globrunq_get_locked(p, 0);
        rt_lock_release(&sched.lock);
        if (g)
            return g;
    }
    int procs = gomaxprocs_now();
    if (m->spinning || 2 * (int)ld_rlx(&sched.nmspinning) < procs - (int)ld_rlx(&sched.npidle)) {
        if (!m->spinning) {
            m->spinning = true;
            xadd(&sched.nmspinning, 1);
        }
        if ((g = steal_work(m)))
            return g;
    }
    run_all_timers(m, nanotime());
    if ((g = runq_get(p, NULL)))
        return g;
    /* Descriptors, without blocking, unless an M already waits on them. */
    if (netpoll_waiters() > 0 && !__atomic_load_n(&sched.timed_in_poll, __ATOMIC_SEQ_CST)) {
        int n;
        G *list = netpoll(0, &n);
        if (list)
            return take_polled(list, n);
    }

    /* Nothing to do: give the P back. */
    rt_lock_acquire(&sched.lock);
    if (sched.runq_size != 0) {
        g = globrunq_get_locked(p, 0);
        rt_lock_release(&sched.lock);
        return g;
    }
    releasep(m);
    pidle_put_locked(p);
    rt_lock_release(&sched.lock);

    /* The delicate dance: stop spinning, then look again, so that work
     * readied by someone who saw us spinning (and so did not wake
     * anybody) is not stranded. */
    if (m->spinning) {
        m->spinning = false;
        if ((int32_t)xadd(&sched.nmspinning, -1) < 0)
            fatal("findrunnable: negative nmspinning");
        /* #StoreLoad: out of the spinning count before looking again;
         * pairs with the fence in wakep. */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        /* Local queues, and the global one: a plain thread (no P) readies
         * goroutines there, and its wakep may have seen us spinning after
         * we last looked. */
        bool work = __atomic_load_n(&sched.runq_size, __ATOMIC_SEQ_CST) != 0;
        procs = gomaxprocs_now();
        for (int i = 0; i < procs && !work; i++)
            work = !runq_empty(sched.allp[i]);
        if (work) {
            rt_lock_acquire(&sched.lock);
            P *p2 = pidle_get_locked();
            rt_lock_release(&sched.lock);
            if (p2) {
                acquirep(m, p2);
                m->spinning = true;
                xadd(&sched.nmspinning, 1);
                goto top;
            }
        }
    }
    int64_t next = timers_next();
    bool io = netpoll_waiters() > 0;
    G *polled;
    int npolled;
    if ((next != 0 || io) && timed_sleep(next, io, &polled, &npolled)) {
        rt_lock_acquire(&sched.lock);
        P *p2 = pidle_get_locked();
        rt_lock_release(&sched.lock);
        if (p2) {
            acquirep(m, p2);
            if (polled)
                return take_polled(polled, npolled);
            goto top;
        }
        inject_glist(polled, npolled);   /* to the global queue */
    }
    stopm(m);
    goto top;
}

/* ---- Freezing for a fatal report or the exit ---------------------------- */

/* Go's freezetheworld, best effort: every other M stops for good at its
 * next switch, so that once the process has decided to end (a fatal
 * report, main returning) nothing another goroutine does after its next
 * yield, block or exit shows.  Waits up to wait_ns for the Ms running
 * goroutines to get there (one that never switches, or is blocked in a
 * system call, is not waited for longer).  Returns false when another M
 * froze it first: that one is ending the process.  (Plain threads all
 * share one marker, so two of them ending at once are not told apart.) */
bool freeze_world(int64_t wait_ns)
{
    M *m = gort__getm();
    M *me = m ? m : (M *)&sched;   /* a plain thread: any non-M marker */
    M *by = NULL;
    if (!__atomic_compare_exchange_n(&sched.frozen_by, &by, me, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_RELAXED))
        return by == me;
    int64_t deadline = nanotime() + wait_ns;
    while (wait_ns > 0 && nanotime() < deadline) {
        bool all_stopped = true;
        for (M *o = ld_acq(&sched.allm); o && all_stopped; o = o->alllink)
            if (o != m && ld_acq(&o->curg) != NULL && !ld_acq(&o->frozen))
                all_stopped = false;
        if (all_stopped)
            break;
        struct timespec tick = { 0, 20000 };
        nanosleep(&tick, NULL);
    }
    return true;
}

static void stop_if_frozen(M *m)
{
    M *by = ld_rlx(&sched.frozen_by);
    if (unlikely(by != NULL) && by != m) {
        st_rel(&m->frozen, true);
        for (;;)
            pause();
    }
}

/* ---- Wired goroutines (gort_lock_os_thread; preemption) -----------------
 *
 * A goroutine wired to an M runs only on that M, and that M runs nothing
 * else: gort_lock_os_thread wires it until the matching unlocks
 * (G.lock_ext counts them), and an asynchronous preemption wires it until
 * it next parks in a gort call (G.lock_int), because the interrupted code
 * may hold a thread-local address in a register (preempt.c).  Go's
 * LockOSThread, with Go's moves:
 *
 *   - When the wired goroutine stops running (parks, yields, is
 *     preempted), its M hands its P to whoever can use it (handoffp) and
 *     sleeps (stoplockedm); it is counted in sched.nmidlelocked meanwhile.
 *   - The goroutine goes on run queues like any other.  An M that takes it
 *     from one (findrunnable: its own queues, the global queue, stealing)
 *     does not run it: it hands its own P to the goroutine's M and wakes
 *     it (startlockedm), then stops.  No direct G-to-G switch involves a
 *     wired goroutine (switch_from sends both sides through g0).
 *   - A goroutine that ends while gort_lock_os_thread holds it takes its
 *     thread with it (mexit), as in Go; the process's main thread is kept
 *     instead, asleep for good.
 *
 * Ownership: G.lockedm, G.lock_ext, G.lock_int and M.lockedg are written
 * only by the goroutine itself while it runs on that M (and by
 * goexit_final); others read G.lockedm only after taking the goroutine off
 * a run queue, which orders them after its last write. */

static void unwire_preempted(M *m, G *g)
{
    g->lock_int = false;
    if (g->lock_ext == 0) {
        g->lockedm = NULL;
        m->lockedg = NULL;
    }
}

static void wire(M *m, G *g)
{
    g->lockedm = m;
    m->lockedg = g;
}

void gort_lock_os_thread(void)
{
    NOTE_THREAD();
    G *g = gort__getg();
    if (!g)
        return;   /* a plain thread is its own thread already */
    if (g->lock_ext == UINT32_MAX)
        gort_panic("LockOSThread nesting overflow");
    g->lock_ext++;
    if (!g->lockedm)
        wire(g->m, g);
}

void gort_unlock_os_thread(void)
{
    NOTE_THREAD();
    G *g = gort__getg();
    if (!g || g->lock_ext == 0)
        return;   /* more unlocks than locks: nothing, as in Go */
    if (--g->lock_ext == 0 && !g->lock_int) {
        g->lockedm->lockedg = NULL;
        g->lockedm = NULL;
    }
}

/* m's wired goroutine is not running: m gives its P away and sleeps until
 * an M that took the goroutine off a run queue hands it a P (Go's
 * stoplockedm). */
static void stoplockedm(M *m)
{
    if (m->p) {
        P *p = releasep(m);
        if (!handoff_to_wired(m, p))
            handoffp(p);
    }
    rt_lock_acquire(&sched.lock);
    sched.nmidlelocked++;
    bool recheck = checkdead_locked(false);
    rt_lock_release(&sched.lock);
    m_sleep(m, recheck);
}

/* Each goroutine waiting after a preemption keeps its thread, so a program
 * with many goroutines in loops that call nothing needs a thread for each
 * of them that waits.  Two rules keep that within GORT_MAX_THREADS:
 *   - a P given up by a preempted goroutine goes straight to the thread of
 *     the goroutine at the head of the global queue when that one is wired
 *     (handoff_to_wired): one thread starts waiting, one stops, none is
 *     added, and no other thread is woken only to pass the P on;
 *   - while as many threads wait for wired goroutines as the limit allows
 *     (less a reserve for threads blocked in system calls and one per P),
 *     a goroutine is made to give way only where that hand-off applies
 *     (park_preempted); otherwise it goes on, and only the requests to
 *     yield at gort calls remain, rather than the program ending with
 *     "thread exhaustion".  So near the limit, goroutines that never park
 *     take turns among themselves on the threads they have, and the rest
 *     of the program waits for one of them to park or end, as it would
 *     without preemption. */
#define PREEMPT_THREAD_RESERVE 4

static bool wired_waiters_at_limit(void)
{
    int cap = gort__config.max_threads - PREEMPT_THREAD_RESERVE - gomaxprocs_now();
    return (int)ld_rlx(&sched.nmidlelocked) >= (cap > 1 ? cap : 1);
}

/* The global queue's head is wired to another thread than m's?  Read
 * without the lock: a hint (G descriptors are never freed). */
static bool globrunq_head_wired(M *m)
{
    G *head = ld_acq(&sched.runq_head);
    M *owner = head ? ld_rlx(&head->lockedm) : NULL;
    return owner && owner != m;
}

/* m gives up p (its own wired goroutine waits): may the head of the
 * global queue, wired to another thread, get it directly?  Only when that
 * is what findrunnable would run next anyway (nothing in p's own queues, no
 * timer of p's due), so a pair of wired goroutines cannot keep p to
 * themselves. */
static bool can_handoff_to_wired(M *m, P *p)
{
    int64_t tw = ld_rlx(&p->timer0_when);
    return globrunq_head_wired(m) && runq_empty(p) && (tw == 0 || nanotime() < tw);
}

static bool handoff_to_wired(M *m, P *p)
{
    if (!can_handoff_to_wired(m, p))
        return false;
    rt_lock_acquire(&sched.lock);
    G *g = sched.runq_head;
    if (g && g->lockedm && g->lockedm != m) {
        sched.runq_head = g->schedlink;
        if (!sched.runq_head)
            sched.runq_tail = NULL;
        st_rel(&sched.runq_size, sched.runq_size - 1);
        sched.nmidlelocked--;
    } else {
        g = NULL;
    }
    rt_lock_release(&sched.lock);
    if (!g)
        return false;
    M *owner = g->lockedm;
    owner->nextp = p;
    note_wakeup(&owner->park);
    return true;
}

/* g, taken off a run queue, is wired to another M: that M gets our P and
 * runs g; we stop (schedule_loop: no P).  Go's startlockedm. */
static void startlockedm(M *m, G *g)
{
    M *owner = g->lockedm;
    P *p = releasep(m);
    rt_lock_acquire(&sched.lock);
    sched.nmidlelocked--;
    rt_lock_release(&sched.lock);
    owner->nextp = p;
    note_wakeup(&owner->park);
}

/* The wired goroutine of m ended while locked: the thread ends too (the
 * main thread sleeps for good instead, being the process's). */
static _Noreturn void mexit(M *m)
{
    m->exit_thread = false;
    handoffp(releasep(m));
    rt_lock_acquire(&sched.lock);
    sched.mcount--;
    if (m->is_main_thread)
        xadd(&sched.system_threads, 1);   /* a thread the runtime knows, no M */
    bool recheck = checkdead_locked(false);
    rt_lock_release(&sched.lock);
    if (recheck) {
        /* The last M may have gone: look again once this thread is gone
         * from the count of unknown threads. */
        struct timespec grace = { 0, CHECKDEAD_GRACE_NS };
        nanosleep(&grace, NULL);
        rt_lock_acquire(&sched.lock);
        checkdead_locked(true);
        rt_lock_release(&sched.lock);
    }
    if (m->is_main_thread)
        for (;;)
            pause();
    signals_thread_exit(m);
    pthread_exit(NULL);
}

static void preempted_hook(M *m, G *g, void *arg)
{
    (void)m;
    (void)arg;
    st_rlx(&g->status, G_RUNNABLE);
    globrunq_put(g);
}

/* The goroutine the preemption signal interrupted (preempt.c: called by
 * the trampoline on its stack, outside the handler) gives way: wired to
 * this thread, it goes to the back of the global queue, as Go's preempted
 * goroutines do, and returns when it runs again here.  With nothing else
 * to run it just goes on (a new time slice), as gort_yield does. */
void park_preempted(void)
{
    M *m = gort__getm();
    G *g = m->curg;
    if (ld_rlx(&g->preempt) && cas(&g->preempt, 1, 0))
        xadd(&sched.preempt_pending, -1);
    P *p = m->p;
    if (runq_empty(p) && !others_could_run(p)) {
        p->schedtick++;
        return;
    }
    if (wired_waiters_at_limit() && !can_handoff_to_wired(m, p)) {
        p->schedtick++;   /* see wired_waiters_at_limit */
        return;
    }
    g->lock_int = true;
    if (!g->lockedm)
        wire(m, g);
    g->wait_reason = WAIT_PREEMPTED;
    m->hook = preempted_hook;
    m->hook_g = g;
    m->hook_arg = NULL;
    switch_from(m, g, NULL, TRACE_WHY_PREEMPT);
}

static _Noreturn void schedule_loop(M *m)
{
    for (;;) {
        run_hook(m);
        stop_if_frozen(m);
        if (unlikely(m->exit_thread))
            mexit(m);
        if (unlikely(m->lockedg != NULL)) {
            /* Its wired goroutine parked, yielded or was preempted: the
             * thread waits for its turn and runs nothing else.  The P it
             * gets back may have come straight from another wired thread
             * (handoff_to_wired), without a findrunnable: its due timers
             * are run here, as findrunnable would. */
            stoplockedm(m);
            stop_if_frozen(m);
            int64_t tw = ld_rlx(&m->p->timer0_when);
            if (tw != 0) {
                int64_t now = nanotime();
                if (now >= tw)
                    timers_run(m->p, now);
            }
            execute(m, m->lockedg);
            continue;
        }
        if (!m->p)
            stopm(m);   /* left a system call to find its P taken */
        G *g = findrunnable(m);
        stop_if_frozen(m);
        if (m->spinning)
            reset_spinning(m);
        if (unlikely(g->lockedm != NULL)) {
            startlockedm(m, g);   /* its own thread runs it, with our P */
            continue;
        }
        execute(m, g);
    }
}

/* ---- Spawning ---------------------------------------------------------- */

void goroutine_entry(void *arg)
{
    G *g = arg;
    san_switch_end(NULL);   /* a new stack: no fake stack of its own yet */
    race_acquire(g);        /* what the spawner did before go() */
    race_acquire(g->stk.lo);/* what the stack's last goroutine did */
    M *m = gort__getm();
    race_acquire(m);        /* this thread's TLS set-up */
    run_hook(m);
    g->fn(g->arg);
    run_defers(g);
    if (g->is_main)
        fatal("main goroutine ended without exiting");
    goexit_final();
}

/* "goroutine 7 created at worker.c:42" in ThreadSanitizer's reports
 * (which keep 63 characters of a name: the file's directory is left out). */
static void name_race_fiber(G *g)
{
    char name[160];
    if (g->file) {
        const char *base = strrchr(g->file, '/');
        snprintf(name, sizeof name, "goroutine %llu%s%s created at %s:%d",
                 (unsigned long long)g->id, g->name ? " " : "", g->name ? g->name : "",
                 base ? base + 1 : g->file, g->line);
    }
    else
        snprintf(name, sizeof name, "goroutine %llu", (unsigned long long)g->id);
    race_fiber_name(g->race_fiber, name);
}

static uint64_t new_goid(P *p)
{
    if (!p)
        return xadd(&sched.goid_gen, 1);
    if (p->goid_next == p->goid_end) {
        p->goid_end = xadd(&sched.goid_gen, GID_BATCH) + 1;
        p->goid_next = p->goid_end - GID_BATCH;
    }
    return p->goid_next++;
}

/* Creates a goroutine and makes it runnable.  Once it is on a run queue it
 * may run, end and be reused at once (or be stolen by another M before the
 * caller's next instruction), so everything about it is set before it is
 * published and the caller learns its id through *id_out. */
static G *spawn_g(void (*fn)(void *), void *arg, const gort_go_opts *opts,
                  const char *file, int line, uint64_t id, uint64_t *id_out, bool publish)
{
    if (!fn)
        fatal("go of nil func value");
    size_t want = opts ? opts->stack_size : 0;
    if (want > ((size_t)1 << 30))
        fatal("gort_go: stack_size %zu is too large (the maximum stack size is 1 GiB)", want);
    gort__runtime_init();
    M *m = gort__getm();
    if (!m)
        plain_thread_enter();
    P *p = m ? m->p : NULL;
    G *parent = m ? m->curg : NULL;
    size_t ssize = stack_round_size(want);
    G *g = gfget(p, ssize);
    if (!g)
        fatal("out of memory: cannot allocate a %zu-byte goroutine stack (%s)", ssize,
              strerror(errno ? errno : ENOMEM));
    g->id = id ? id : new_goid(p);
    if (id_out)
        *id_out = g->id;
    g->fn = fn;
    g->arg = arg;
    g->file = file;
    g->line = line;
    g->name = opts ? opts->name : NULL;
    g->parent_id = parent ? parent->id : 0;
    g->defers = NULL;
    g->panicking = NULL;
    g->defer_depth = 0;
    g->is_main = id == 1;   /* id 1 is reserved for gort_main's goroutine */
    g->is_system = false;
    g->wait_reason = WAIT_NONE;
    g->stack_low_seen = g->stk.hi;
    san_stack_fresh(g->stk.lo, g->stk.size);
    g->race_fiber = race_fiber_new();
    if (RACE_ENABLED)
        name_race_fiber(g);
    race_release(g);
    g->sp = ctx_init(g->stk.hi, goroutine_entry, g);
    st_rlx(&g->status, G_RUNNABLE);
    trace_go_create(parent, g, p);
    if (p)
        stat_inc(&p->st_created);
    else
        xadd(&sched.created_nop, 1);
    if (!publish)
        return g;
    if (p)
        runq_put(p, g, true);
    else
        globrunq_put(g);
    if (ld_rlx(&sched.started))
        wakep();
    return NULL;   /* it may have run and ended already */
}

static void spawn(void (*fn)(void *), void *arg, const gort_go_opts *opts,
                  const char *file, int line, uint64_t id, uint64_t *id_out)
{
    spawn_g(fn, arg, opts, file, line, id, id_out, true);
}

uint64_t gort_go_at(void (*fn)(void *), void *arg, const gort_go_opts *opts,
                    const char *file, int line)
{
    uint64_t id;
    spawn(fn, arg, opts, file, line, 0, &id);
    return id;
}

/* ---- Start-up ---------------------------------------------------------- */

static void plain_thread_gone(void *unused)
{
    (void)unused;
    xadd(&sched.plain_threads, -1);
    /* This thread may have been the last hope of an idle program. */
    rt_lock_acquire(&sched.lock);
    checkdead_locked(true);
    rt_lock_release(&sched.lock);
}

/* A plain thread (one that is not an M) that calls into gort could still
 * wake a goroutine, so while it lives no deadlock is declared.  It is
 * counted from its first such call until it exits. */
NOINLINE void plain_thread_enter(void)
{
    if (gort__thread_known || tls_m)
        return;
    gort__runtime_init();
    gort__thread_known = true;
    xadd(&sched.plain_threads, 1);
    pthread_setspecific(plain_thread_key, (void *)1);
}

static void do_init(void)
{
    pthread_key_create(&plain_thread_key, plain_thread_gone);
    note_program_comm();   /* before sysmon, whose name its threads would inherit */
    config_init();
    stack_init();
    signals_init();
    preempt_init();
    sched.goid_gen = 1;   /* id 1 is the main goroutine's */
    sched.mnext = 1;      /* M ids start at 1: 0 is "no M" (in the trace) */
    int n = gort__config.gomaxprocs;
    for (int i = 0; i < n; i++)
        sched.allp[i] = p_new(i);
    st_rel(&sched.nallp, n);
    st_rel(&sched.gomaxprocs, n);
    st_rel(&sched.user_procs, n);
    st_rel(&sched.gomaxprocs_explicit, gort__config.gomaxprocs_explicit ? 1 : 0);
    rt_lock_acquire(&sched.lock);
    for (int i = n - 1; i >= 0; i--)
        pidle_put_locked(sched.allp[i]);
    rt_lock_release(&sched.lock);
    netpoll_init();
    sysmon_start();
    xadd(&sched.system_threads, 1);
    st_rel(&sched.started, 1);
    trace_init_from_env();
}

void gort__runtime_init(void)
{
    pthread_once(&init_once, do_init);
}

#define MAIN_STACK_SIZE ((size_t)8 << 20)

static struct {
    int (*fn)(int, char **);
    int argc;
    char **argv;
} main_args;

static void main_entry(void *unused)
{
    (void)unused;
    int status = main_args.fn(main_args.argc, main_args.argv);
    run_defers(gort__getg());
    freeze_world(0);  /* as Go's exit: the other goroutines do nothing more */
    exit(status);
}

int gort_main(int (*fn)(int argc, char **argv), int argc, char **argv)
{
    if (!fn)
        fatal("gort_main: nil main function");
    gort__runtime_init();
    if (gort__getm())
        fatal("gort_main called from a goroutine");
    sched.under_gort_main = true;
    main_args.fn = fn;
    main_args.argc = argc;
    main_args.argv = argv;
    M *m = m_alloc();
    m->is_main_thread = true;
    set_m(m);
    m_thread_setup(m);
    rt_lock_acquire(&sched.lock);
    P *p = pidle_get_locked();
    rt_lock_release(&sched.lock);
    if (!p)
        fatal("gort_main: no idle processor (was gort_main called twice?)");
    acquirep(m, p);
    /* C programs expect main to have a thread-sized stack; it is reserved,
     * not committed, so it costs only what main touches. */
    gort_go_opts opts = { .stack_size = MAIN_STACK_SIZE, .name = NULL };
    if (opts.stack_size < stack_default_size())
        opts.stack_size = stack_default_size();
    /* As Go's runtime.main, the main goroutine runs on the main thread
     * until it first parks (wired as a preempted goroutine is): a first
     * gort_lock_os_thread keeps it there for good (libraries that want the
     * main thread).  So it is run here at once, not queued. */
    G *g = spawn_g(main_entry, NULL, &opts, NULL, 0, 1, NULL, false);
    g->lock_int = true;
    wire(m, g);
    execute(m, g);
    schedule_loop(m);
}

/* gort_run: spawn, then wait for the goroutine's end (including an end by
 * gort_exit or a recovered panic, through a deferred release). */
typedef struct run_req {
    void (*fn)(void *);
    void *arg;
    uint32_t sema;
} run_req;

static void run_release(void *a)
{
    race_release(a);
    semrelease(&((run_req *)a)->sema, false);
}

static void run_entry(void *a)
{
    run_req *r = a;
    gort_defer(run_release, r);
    r->fn(r->arg);
}

void gort_run(void (*fn)(void *arg), void *arg)
{
    NOTE_THREAD();
    if (!fn)
        fatal("go of nil func value");
    run_req r = { fn, arg, 0 };
    spawn(run_entry, &r, NULL, NULL, 0, 0, NULL);
    semacquire(&r.sema, false, WAIT_GORT_RUN);
    race_acquire(&r);
}

/* ---- Queries ----------------------------------------------------------- */

uint64_t gort_id(void)
{
    NOTE_THREAD();
    G *g = gort__getg();
    return g ? g->id : 0;
}

int gort_num_goroutine(void)
{
    NOTE_THREAD();
    return (int)goroutines_alive();
}

int gort_num_cpu(void)
{
    NOTE_THREAD();
    return cpu_count();
}

/* CPUs in this process's affinity mask.  Not a public entry point: the
 * runtime's own start-up calls it before any thread is counted. */
int cpu_count(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* ---- GOMAXPROCS -------------------------------------------------------- */

/* Moves everything p owns elsewhere and marks it dead.  p is held by no M
 * (released, or taken off the idle list) and by nobody else. */
static void p_retire(P *p)
{
    G *batch[RUNQ_SIZE + 1];
    int n = runq_drain(p, batch, RUNQ_SIZE + 1);
    globrunq_put_array(batch, n);
    timers_move(p, sched.allp[0]);
    if (p->gfree) {
        rt_lock_acquire(&sched.gfree_lock);
        while (p->gfree) {
            G *x = p->gfree;
            p->gfree = x->schedlink;
            gfree_global_put_locked(x);
        }
        p->gfree_n = 0;
        rt_lock_release(&sched.gfree_lock);
    }
    st_rel(&p->status, P_DEAD);
    if (n > 0 || ld_rlx(&sched.runq_size))
        wakep();
}

/* Retires the idle Ps numbered n and above.  Called with sched.lock held;
 * drops it around each retirement. */
static void retire_idle_ps_locked(int n)
{
    P **pp = &sched.pidle;
    while (*pp) {
        P *p = *pp;
        if (p->id < n) {
            pp = &p->link;
            continue;
        }
        *pp = p->link;
        p->link = NULL;
        xadd(&sched.npidle, -1);
        rt_lock_release(&sched.lock);
        p_retire(p);
        rt_lock_acquire(&sched.lock);
        pp = &sched.pidle;
    }
}

/* A goroutine-aware lock: the caller may park while holding it. */
static gort_mutex procresize_mu;

/* Makes P i usable again as the limit grows past it: a new or retired P
 * goes on the idle list; one that is still running (above a lowered limit,
 * not yet at its next scheduling point, which would retire it) just keeps
 * running — putting it on the idle list too would give it two Ms. */
static void revive_p_locked(int i)
{
    P *p = sched.allp[i];
    if (!p) {
        sched.allp[i] = p = p_new(i);
        st_rel(&sched.nallp, i + 1);
        pidle_put_locked(p);
    } else if (ld_acq(&p->status) == P_DEAD) {
        pidle_put_locked(p);
    }
}

/* Under procresize_mu: GOMAXPROCS becomes n.  More Ps start at once; Ps
 * above a lower limit retire now if idle, else at their next scheduling
 * point (*old_procs > *new_procs says which: those from new to old).
 * Returns the previous value. */
static int set_gomaxprocs(int n, int *old_procs, int *new_procs)
{
    rt_lock_acquire(&sched.lock);
    int old_user = sched.user_procs;
    st_rel(&sched.user_procs, n);
    /* Ps sysmon lent to threads blocked unannounced stay lent. */
    int want = n + sched.lent > MAX_PROCS ? MAX_PROCS : n + sched.lent;
    int old = sched.gomaxprocs;
    if (want >= old) {
        for (int i = old; i < want; i++)
            revive_p_locked(i);
        st_rel(&sched.gomaxprocs, want);
    } else {
        st_rel(&sched.gomaxprocs, want);
        retire_idle_ps_locked(want);
    }
    rt_lock_release(&sched.lock);
    for (int i = old; i < want; i++)
        wakep();
    *old_procs = old;
    *new_procs = want;
    return old_user;
}

/* sysmon, about once a second, unless the program chose GOMAXPROCS: the
 * default follows the CPU limit (cgroup.c).  Never waits: if GOMAXPROCS
 * is being changed, sysmon tries again later. */
void gomaxprocs_follow_limit(void)
{
    if (ld_acq(&sched.gomaxprocs_explicit))
        return;
    int want = default_gomaxprocs();
    if (want == ld_acq(&sched.user_procs) || !gort_mutex_trylock(&procresize_mu))
        return;
    if (!ld_acq(&sched.gomaxprocs_explicit)) {
        int old, now;
        set_gomaxprocs(want, &old, &now);
    }
    gort_mutex_unlock(&procresize_mu);
}

int gort_gomaxprocs(int n)
{
    NOTE_THREAD();
    if (n < 1)
        return ld_acq(&sched.user_procs);
    if (n > MAX_PROCS)
        n = MAX_PROCS;
    gort_mutex_lock(&procresize_mu);
    st_rel(&sched.gomaxprocs_explicit, 1);   /* the CPU limit no longer decides */
    int old, want;
    int old_user = set_gomaxprocs(n, &old, &want);
    for (;;) {
        bool pending = false;
        for (int i = want; i < old; i++)
            if (ld_acq(&sched.allp[i]->status) != P_DEAD)
                pending = true;
        if (!pending)
            break;
        /* A P above the limit may have gone idle since we last looked. */
        rt_lock_acquire(&sched.lock);
        retire_idle_ps_locked(want);
        rt_lock_release(&sched.lock);
        M *m = gort__getm();
        if (m && m->curg && m->p && m->p->id >= want)
            gort_yield();          /* our own P is retired on the way through g0 */
        else
            gort_sleep(20000);     /* parks a goroutine; a plain thread sleeps */
    }
    gort_mutex_unlock(&procresize_mu);
    return old_user;
}

/* sysmon: a thread is blocked in the kernel without gort_syscall_enter,
 * holding its P.  One more P lets the other goroutines run meanwhile
 * (GOMAXPROCS counts threads running goroutines, and that one is not).
 * False if GOMAXPROCS is being changed (tried again next tick) or at the
 * MAX_PROCS limit. */
bool lend_p(P *blocked)
{
    if (!gort_mutex_trylock(&procresize_mu))
        return false;
    rt_lock_acquire(&sched.lock);
    int id = sched.gomaxprocs;
    bool ok = id < MAX_PROCS;
    if (ok) {
        revive_p_locked(id);
        sched.lent++;
        st_rel(&sched.gomaxprocs, id + 1);
    }
    rt_lock_release(&sched.lock);
    if (ok)
        rescue_queued_work(blocked, sched.allp[id]);
    gort_mutex_unlock(&procresize_mu);
    if (ok)
        wakep();
    return ok;
}

/* What the blocked thread's P had queued would otherwise wait for its
 * system call to end: the other Ps take goroutines from the global queue
 * and never steal while it has any (goroutines preempted in loops keep it
 * full), and run other Ps' timers only when they find nothing to do.  So
 * its run queue goes to the global queue (taken as a thief takes it: its
 * thread may come back at any moment) and its timers to the P lent in its
 * place (timers_move, under the GOMAXPROCS mutex, the lock order's rule). */
static void rescue_queued_work(P *blocked, P *to)
{
    G *batch[RUNQ_SIZE + 1];
    int n = runq_steal_all(blocked, batch, RUNQ_SIZE + 1);
    globrunq_put_array(batch, n);
    timers_move(blocked, to);
}

/* sysmon: the blocked thread is back; the highest P retires at its next
 * scheduling point (or now, if idle), as when GOMAXPROCS shrinks.  Until
 * then one goroutine more than GOMAXPROCS may run.  False if GOMAXPROCS is
 * being changed: sysmon tries again next tick (it must never wait). */
bool return_lent_p(void)
{
    if (!gort_mutex_trylock(&procresize_mu))
        return false;
    rt_lock_acquire(&sched.lock);
    if (sched.lent > 0) {
        sched.lent--;
        int want = sched.gomaxprocs - 1;
        st_rel(&sched.gomaxprocs, want);
        retire_idle_ps_locked(want);
    }
    rt_lock_release(&sched.lock);
    gort_mutex_unlock(&procresize_mu);
    return true;
}
