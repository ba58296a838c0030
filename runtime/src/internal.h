/*
 * internal.h — the runtime's shared internal declarations.
 *
 * The runtime follows Go's G/M/P design (see docs/DESIGN.md):
 *   G  a goroutine: its saved stack pointer, stack, entry function and
 *      bookkeeping.  G descriptors are never freed; dead ones are cached
 *      (per P, then globally) and reused, as Go's gfree lists.
 *   M  an OS thread.  It runs goroutines only while it holds a P.  Its own
 *      pthread stack is the scheduler stack ("g0").
 *   P  a processor: the right to run goroutines, GOMAXPROCS of them.  A P
 *      owns a local run queue, a runnext slot, a timer heap and caches.
 *
 * Rules every runtime file follows:
 *   - The current M is read only through gort__getm() (a noinline
 *     accessor).  Never keep a thread-local address, or the M, P or errno
 *     location, across anything that can switch goroutines: the goroutine
 *     may resume on another thread.
 *   - A goroutine that blocks publishes itself (to a wait queue, a timer)
 *     only after it has switched away: park() runs its commit function on
 *     the next stack.  Nobody can ready a G whose registers are not saved.
 *   - Runtime locks are short spin-then-futex locks; none is held across a
 *     switch except by handing its release to the commit function.
 *   - The program's code may be preempted (preempt.c): the runtime never
 *     holds a P or a runtime lock across a call into it (a deferred call, a
 *     Once's function).  A preempted goroutine resumes on the same M, but
 *     that M may hold another P by then.
 */
#ifndef GORT_INTERNAL_H
#define GORT_INTERNAL_H

#include "gort.h"
#include "namespace.h"
#include "lockrank.h"

/* Everything declared from here on is the runtime's own: not exported from
 * the shared library. */
#pragma GCC visibility push(hidden)

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define NOINLINE    __attribute__((noinline))
/* For code that reads another goroutine's stack (ASan poisons parts of it). */
#define NO_SANITIZE_ADDRESS __attribute__((no_sanitize_address))
#define CACHELINE   64
#define ALIGNED_CL  __attribute__((aligned(CACHELINE)))

#if defined(__x86_64__)
static inline void cpu_relax(void) { __builtin_ia32_pause(); }
#elif defined(__aarch64__)
static inline void cpu_relax(void) { __asm__ __volatile__("yield" ::: "memory"); }
#else
static inline void cpu_relax(void) {}
#endif

/* Atomics on plain fields (the public sync types are plain C structs). */
#define ld_acq(p)       __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define ld_rlx(p)       __atomic_load_n((p), __ATOMIC_RELAXED)
#define st_rel(p, v)    __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define st_rlx(p, v)    __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define xadd(p, v)      __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define xchg(p, v)      __atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define cas(p, o, n)    __extension__({ __typeof__(*(p)) o_ = (o); \
        __atomic_compare_exchange_n((p), &o_, (n), false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED); })

/* ---- lock.c: runtime locks, one-shot notes, futex ---------------------- */

/* A runtime mutex: spins briefly, then sleeps on a futex.  Zero is
 * unlocked.  Every lock has a rank (lockrank.h), set once before first use
 * by rt_lock_init or a static initialiser RT_LOCK_INIT(RANK). */
typedef struct rt_lock { uint32_t key; uint8_t rank; } rt_lock;
#define RT_LOCK_INIT(rank_name) { .key = 0, .rank = LOCK_RANK_##rank_name }
static inline void rt_lock_init(rt_lock *l, enum lock_rank rank)
{
    l->key = 0;
    l->rank = (uint8_t)rank;
}
extern const bool lockrank_enabled;   /* this build checks lock ranks (GORT_LOCKRANK) */
void rt_lock_acquire(rt_lock *l);
void rt_lock_release(rt_lock *l);
/* Runtime locks the calling thread holds now (a preemption signal never
 * stops a goroutine that holds one).  Async-signal-safe. */
uint32_t locks_held(void);

/* A note is a one-shot event (Go's note): one sleeper, one waker. */
typedef struct rt_note { uint32_t key; } rt_note;
static inline void note_clear(rt_note *n) { st_rlx(&n->key, 0); }
void note_wakeup(rt_note *n);
void note_sleep(rt_note *n);
/* Sleeps until woken or until the monotonic clock reaches deadline_ns;
 * returns true if woken. */
bool note_sleep_until(rt_note *n, int64_t deadline_ns);

int  futex_wait(uint32_t *addr, uint32_t val, const struct timespec *abs_monotonic);
void futex_wake(uint32_t *addr, int n);
/* How a plain thread (no goroutine to park) blocks on a wait record: it
 * sleeps until *flag is set; whoever wakes it sets it once.  The record may
 * be gone as soon as the sleeper returns, so set_flag must be the waker's
 * last touch of it (the futex wake of a freed word is harmless). */
void wait_flag(uint32_t *flag);
void set_flag(uint32_t *flag);

/* ---- goroutines -------------------------------------------------------- */

enum g_status {
    G_IDLE = 0,     /* descriptor allocated, not in use (in a free cache) */
    G_RUNNABLE,     /* on a run queue */
    G_RUNNING,      /* on an M */
    G_WAITING,      /* parked; someone will ready it */
    G_DEAD,         /* finished; being returned to a cache */
    G_SYSCALL,      /* between gort_syscall_enter and _exit, its M without a P */
};

/* Why a goroutine waits: the strings are Go's, as gort_dump prints them. */
enum wait_reason {
    WAIT_NONE = 0,
    WAIT_CHAN_RECV, WAIT_CHAN_SEND, WAIT_SELECT, WAIT_SELECT_NO_CASES,
    WAIT_CHAN_RECV_NIL, WAIT_CHAN_SEND_NIL,
    WAIT_SLEEP, WAIT_WAITGROUP, WAIT_MUTEX, WAIT_RWMUTEX_R, WAIT_RWMUTEX_W,
    WAIT_IO, WAIT_SYSCALL, WAIT_GORT_RUN, WAIT_PREEMPTED, WAIT_COND,
    WAIT__COUNT
};
const char *wait_reason_string(int reason);

enum { STACK_KIND_ARENA = 0, STACK_KIND_DEDICATED = 1, STACK_KIND_PACKED = 2 };
/* How a stack's bottom is protected (stack.c). */
enum { GUARD_KERNEL = 0, GUARD_MPROTECT = 1, GUARD_CANARY = 2 };

typedef struct stack {
    char  *lo;          /* lowest usable byte */
    char  *hi;          /* one past the highest byte */
    size_t size;        /* hi - lo */
    uint8_t kind;       /* STACK_KIND_* (stack.c) */
    uint8_t guard;      /* GUARD_* (stack.c) */
    uint8_t probe_mapped; /* stack_went_deep mapped the zero page */
    unsigned vg_id;     /* Valgrind's id for the registered stack */
} stack;

struct defer_rec;
struct panic_rec;
struct panic_msg;

/* Fields of 4 bytes and less are paired so that the descriptor has no
 * padding: 200 bytes, a 208-byte malloc chunk (README: memory per parked
 * goroutine). */
typedef struct G {
    void        *sp;            /* saved stack pointer while not running */
    struct G    *schedlink;     /* run queues and free lists */
    uint64_t     id;
    uint32_t     status;        /* enum g_status, atomic */
    uint8_t      wait_reason;   /* enum wait_reason */
    bool         is_main;
    bool         is_system;     /* runtime-owned: never counted or dumped */
    bool         lock_int;      /* wired by a preemption (see lockedm) */
    void       (*fn)(void *);
    void        *arg;
    struct M    *m;             /* M running it, or NULL */
    stack        stk;
    char        *stack_low_seen;/* lowest sp saved at a park: deep-use watermark */
    int64_t      wait_since;    /* gort_now() when it parked */
    const char  *file;
    const char  *name;
    int          line;
    int          defer_depth;   /* > 0 while running a deferred call */
    uint64_t     parent_id;
    struct defer_rec *defers;   /* LIFO of deferred calls */
    struct panic_rec *panicking;/* innermost active panic */
    struct panic_msg *panic_msgs;/* panic.c: its panics' messages, freed when it ends */
    struct G    *allg_next;     /* the all-goroutines list (never unlinked) */
    void        *race_fiber;    /* ThreadSanitizer's fiber (race builds only) */
    uint32_t     preempt;       /* atomic: sysmon asks it to yield at its next runtime call */
    uint32_t     lock_ext;      /* gort_lock_os_thread's nesting (see lockedm) */
    int64_t      running_since; /* with preempt: when sysmon first saw it running (nanotime) */
    /* Wired to one thread (sched.c, "Wired goroutines"): by
     * gort_lock_os_thread (lock_ext nests) or by a preemption until it next
     * parks (lock_int).  lockedm, lock_ext and lock_int are written by the
     * goroutine itself while it runs; read by whoever takes it off a run
     * queue. */
    struct M    *lockedm;
} G;
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(G) <= 200, "G grew past 200 bytes: a bigger malloc chunk per goroutine (README's memory figures)");
#endif

/* ---- processors and threads -------------------------------------------- */

#define RUNQ_SIZE   256
#define MAX_PROCS   1024
#define GID_BATCH   16
#define GFREE_LOCAL_MAX 64

enum p_status { P_IDLE = 0, P_RUNNING, P_DEAD,
                P_SYSCALL /* its M is in a system call: sysmon may take it (retake) */ };

struct timer;

typedef struct P {
    int       id;
    uint32_t  status;
    struct M *m;                 /* M holding it, or NULL */
    struct P *link;              /* idle list */
    uint32_t  schedtick;         /* goroutines run; drives the global-queue check */
    uint32_t  syscalltick;       /* system calls entered (gort_syscall_enter) */
    /* sysmon's view (sysmon.c only): the ticks it last saw and when */
    uint32_t  sysmon_schedtick, sysmon_syscalltick;
    int64_t   sysmon_schedwhen, sysmon_syscallwhen;
    bool      sysmon_lent;       /* its M is blocked unannounced: a P was lent for it */
    uint32_t  sysmon_lent_tick;  /* schedtick when it was */
    bool      sysmon_blocked_seen; /* its thread slept in the kernel at the last look */
    int64_t   sysmon_cpu;        /* that thread's CPU time then (ns, /proc schedstat) */
    int64_t   sysmon_seen_when;  /* and when that was */
    int64_t   sysmon_signal_when;/* when its goroutine was last sent the preemption signal */
    /* sysmon's measure of its thread before it signals (thread_wants_cpu):
     * its time on a CPU and voluntary switches at the last look, and whose */
    struct thread_sample { int64_t at, on_cpu, voluntary; } sysmon_busy_sample;
    int       sysmon_busy_tid;
    bool      sysmon_busy;       /* it computed through the last window */

    /* local run queue: a ring; head moved by CAS (owner and thieves),
     * tail written only by the owner. */
    uint32_t  runq_head ALIGNED_CL;
    uint32_t  runq_tail;
    G        *runnext;           /* set by ready() and go; taken first */
    G        *runq[RUNQ_SIZE];

    /* caches, touched only by the owner */
    G        *gfree ALIGNED_CL;
    int       gfree_n;
    uint64_t  goid_next, goid_end;

    /* timers: a 4-ary min-heap guarded by timer_lock */
    rt_lock   timer_lock ALIGNED_CL;
    int64_t   timer0_when;       /* earliest when, or 0; read without the lock */
    struct timer **timers;
    int       ntimers, timers_cap;

    /* statistics, owner-written, read racily */
    int64_t   st_created ALIGNED_CL;
    int64_t   st_exited;
    int64_t   st_switches;
    int64_t   st_steals;
} ALIGNED_CL P;

struct M;
typedef void (*hook_fn)(struct M *m, G *prev, void *arg);

typedef struct M {
    int        id;
    P         *p;               /* held P, or NULL */
    P         *nextp;           /* P handed over by startm */
    G         *curg;            /* goroutine running now, or NULL on g0 */
    void      *g0_sp;           /* the scheduler stack's saved sp */
    void      *race_g0;         /* TSan's fiber of the scheduler stack */
    char      *g0_lo;           /* the scheduler (pthread) stack's bounds, for ASan */
    size_t     g0_size;
    bool       spinning;        /* looking for work */
    bool       frozen;          /* atomic: stopped for good by freeze_world */
    rt_note    park;            /* stopm sleeps here */
    struct M  *link;            /* idle list */
    struct M  *alllink;
    struct timer *running_timer;/* whose callback this M runs now (timer_wait_idle) */
    /* what the next code to run on this M must do first: see park() */
    hook_fn    hook;
    G         *hook_g;
    void      *hook_arg;
    bool     (*hook_commit)(struct G *, void *);
    void      *sigstack;
    uint32_t   fastrand;
    P         *oldp;            /* the P it had when it entered a system call */
    int        tid;             /* the thread's id (sysmon reads its state in /proc) */
    uint32_t   runtime_wait;    /* atomic: blocked inside the runtime on purpose (a dump
                                   waiting for the symbolizer): sysmon lends no P for it */
    bool       in_syscall;      /* between gort_syscall_enter and _exit */
    G         *lockedg;         /* the goroutine wired to this thread, or NULL (the M itself) */
    bool       exit_thread;     /* its wired goroutine ended: the thread goes (schedule_loop) */
    bool       is_main_thread;  /* the process's main thread: never exits */
    uint32_t   preempt_sig;     /* atomic: preemption signal sent, handler not yet run */
    int64_t    preempt_sig_when;/* atomic: when it was sent (sysmon) */
    uint64_t   sigmask;         /* the thread's usual blocked signals (first 64) */
    /* trace.c: this thread's trace buffer (written under trace.lock) and
     * its seqlock, odd while it records (see trace.c) */
    struct trace_buf *trace_buf;
    uint32_t   trace_seq;
} M;

/* The scheduler's shared state (Go's schedt). */
typedef struct sched_t {
    rt_lock   lock;
    /* idle Ms and Ps, guarded by lock */
    M        *midle;   int nmidle;
    int       nmidlelocked;      /* Ms waiting for their wired goroutine's turn */
    P        *pidle;
    uint32_t  npidle;            /* atomic */
    uint32_t  nmspinning;        /* atomic */
    int       mcount;            /* Ms alive (threads of wired goroutines that ended exit) */
    int       mnext;             /* ids given so far */
    M        *allm;
    /* global run queue, guarded by lock */
    G        *runq_head, *runq_tail;
    uint32_t  runq_size;         /* atomic reads outside lock */
    /* global G free lists, guarded by gfree_lock */
    rt_lock   gfree_lock;
    G        *gfree_stack;  int gfree_stack_n;
    G        *gfree_nostack; int gfree_nostack_n;
    /* all Ps ever created (Ps are never freed) */
    P        *allp[MAX_PROCS];
    int       nallp;             /* how many allp entries exist */
    int32_t   gomaxprocs;        /* atomic: Ps that may run: user_procs + lent */
    int32_t   user_procs;        /* atomic: GOMAXPROCS as set (what gort_gomaxprocs reports) */
    uint32_t  gomaxprocs_explicit; /* atomic: set by GOMAXPROCS or gort_gomaxprocs; else the
                                    * CPU limit decides (sysmon follows it) */
    int32_t   lent;              /* extra Ps lent by sysmon for threads blocked unannounced;
                                    changed under sched.lock and procresize's mutex */
    /* the M sleeping until the next timer, if any (Go's netpoll sleeper) */
    uint32_t  timed_wake;        /* futex word for that sleep */
    int64_t   timed_until;       /* atomic: when it wakes; 0: nobody sleeps timed;
                                    INT64_MAX: no timer, it waits for descriptors only */
    uint32_t  timed_in_poll;     /* atomic: that M waits in epoll_wait, not on timed_wake */
    /* goroutine ids for spawns without a P */
    uint64_t  goid_gen;          /* atomic */
    /* counts for spawns/exits without a P */
    int64_t   created_nop, exited_nop; /* atomic */
    uint32_t  plain_threads;     /* atomic: plain threads that called into gort */
    /* exit state */
    struct M *frozen_by;         /* atomic: the M that froze the world (freeze_world) */
    uint32_t  main_goexited;     /* main called gort_exit */
    uint32_t  started;
    bool      under_gort_main;
    uint32_t  preempt_pending;   /* atomic: goroutines asked to yield (G.preempt) */
    uint32_t  sysmon_deep;       /* atomic: sysmon sleeps until woken (everything idle) */
    uint32_t  system_threads;    /* atomic: the runtime's own threads that are not Ms (sysmon) */
} sched_t;

extern sched_t gort__sched;
#define sched gort__sched

/* ---- sched.c ----------------------------------------------------------- */

M   *gort__getm(void);          /* current M, or NULL on a plain thread */
G   *gort__getg(void);          /* current G, or NULL on g0 or a plain thread */
void gort__runtime_init(void);  /* idempotent */

/* Parks the current goroutine.  commit(g, arg) runs after g's registers are
 * saved, on the next stack; it publishes g (releases the lock that guards
 * the queue g went on).  If commit returns false, g is made runnable again
 * at once (Go's gopark unlockf). */
typedef bool (*commit_fn)(G *g, void *arg);
void park(commit_fn commit, void *arg, int reason);
/* Runs fn(arg) on this M's scheduler stack (a plain call off a goroutine):
 * for libc work too deep for a goroutine's stack (sched.c). */
void systemstack(void (*fn)(void *), void *arg);
/* The same, for a caller that already knows it is running goroutine g. */
void park_g(G *g, commit_fn commit, void *arg, int reason);
/* Makes a WAITING goroutine runnable (Go's ready): runnext of the current
 * P, or the global queue from a plain thread. */
void ready(G *g);
/* Ends the current goroutine (its deferred calls have run). */
_Noreturn void goexit_final(void);
void wakep(void);
void plain_thread_enter(void);   /* a plain thread called into gort */
extern __thread bool gort__thread_known;
/* First thing in every public entry point that a plain thread may call. */
#define NOTE_THREAD() do { if (unlikely(!gort__thread_known)) plain_thread_enter(); } while (0)
void timers_wake_sleeper(int64_t when);   /* a timer at `when` was added */
void poller_wanted(void);        /* a goroutine now waits on a descriptor */
void inject_glist(G *list, int n);   /* makes runnable a schedlink list of Gs (from netpoll) */
uint32_t fastrand(void);
int64_t goroutines_alive(void);
int cpu_count(void);             /* gort_num_cpu without counting the calling thread */
void gomaxprocs_follow_limit(void);   /* sysmon: GOMAXPROCS follows the CPU limit */

/* ---- cgroup.c: the CPU bandwidth limit --------------------------------- */
double cgroup_cpu_limit(void);        /* in CPUs, the tightest up the tree; 0: none */
int  gomaxprocs_for_limit(int cpus, double limit);   /* Go 1.25's rule */
int  default_gomaxprocs(void);        /* GOMAXPROCS's default now */
extern const char *cgroup_test_root;  /* tests: read a fake tree under this directory */
extern int cgroup_test_cpus;          /* tests: the CPU count (0: the real one) */

/* ---- netpoll.c --------------------------------------------------------- */
void    netpoll_init(void);              /* at runtime start: the epoll instance */
bool    netpoll_inited(void);
int32_t netpoll_waiters(void);           /* goroutines parked on descriptors */
int64_t netpoll_last_poll(void);         /* nanotime() of the last poll */
G      *netpoll(int64_t until, int *n);  /* until: 0 poll, INT64_MAX block; returns readied Gs */
void    netpoll_break(void);             /* interrupts a blocked netpoll */
/* test interface (conformance/internal): the descriptor table's size, and
 * how many tables it grew out of (each kept, readable) */
int     netpoll_test_table(int *nold);

/* ---- trace.c ----------------------------------------------------------- */
enum trace_kind { TRACE_GO_CREATE = 1, TRACE_GO_START, TRACE_GO_STOP, TRACE_GO_UNPARK,
                  TRACE_PROC_START, TRACE_PROC_STOP };
/* Why a goroutine stopped running (GoStop). */
enum trace_why { TRACE_WHY_PARK = 0, TRACE_WHY_YIELD, TRACE_WHY_PREEMPT, TRACE_WHY_SYSCALL,
                 TRACE_WHY_END };
extern uint32_t trace_enabled;   /* a trace or the flight recorder runs */
void trace_init_from_env(void);  /* GORT_TRACE, at start-up */
int  trace_test_buffers_mapped(void);   /* conformance/internal only */
void trace_at_fatal(void);       /* a fatal report, the world frozen */
/* The scheduler's hooks: with no trace running, a load and a branch; the
 * recording side is out of line (trace.c, cold), so a hook adds no
 * register pressure to the hot function it sits in. */
#define TRACE_ON() unlikely(ld_rlx(&trace_enabled) != 0)
void trace_go_create_slow(const G *parent, const G *g, const P *p);
void trace_go_start_slow(const M *m, const P *p, const G *g);
void trace_go_stop_slow(const P *p, const G *g, int why);
void trace_go_unpark_slow(const G *g);
/* switch_from: from stops (why < 0: recorded already), to (if any) starts. */
void trace_switch_slow(const M *m, const G *from, const G *to, int why);
void trace_go_unpark_by_slow(const G *g, const G *by, const P *p);
void trace_proc_slow(int kind, const M *m, const P *p);
static inline void trace_go_create(const G *parent, const G *g, const P *p)
{
    if (TRACE_ON())
        trace_go_create_slow(parent, g, p);
}
static inline void trace_go_start(const M *m, const P *p, const G *g)
{
    if (TRACE_ON())
        trace_go_start_slow(m, p, g);
}
/* g was made runnable by the current goroutine (if any), on its P (if any). */
static inline void trace_go_unpark(const G *g)
{
    if (TRACE_ON())
        trace_go_unpark_slow(g);
}
/* m took (TRACE_PROC_START) or released (TRACE_PROC_STOP) p. */
static inline void trace_proc(int kind, const M *m, const P *p)
{
    if (TRACE_ON())
        trace_proc_slow(kind, m, p);
}

/* ---- sysmon.c ---------------------------------------------------------- */
void    sysmon_start(void);
void    sysmon_wake_up(void);            /* out of a deep sleep, or to look now */
/* tests: what sysmon reads of thread tid in /proc (sysmon.c's test interface) */
bool    sysmon_test_thread_sample(int tid, int64_t *on_cpu_ns, int64_t *voluntary);

/* ---- preempt.c --------------------------------------------------------- */
void    preempt_init(void);              /* at start-up: the SIGURG handler, the code map */
void    preempt_thread_init(M *m);       /* on each M: SIGURG unblocked, its usual mask noted */
bool    preempt_async_on(void);
bool    preempt_request(M *m, int64_t now);  /* sysmon: signal m's thread */
int64_t preempt_count(void);             /* goroutines preempted by the signal so far */
void    park_preempted(void);            /* sched.c: the interrupted goroutine gives way */
/* The assembly side (arch/preempt_*.S) and what it calls or reads. */
void    gort__preempt_trampoline(void);
void    gort__preempt_park(void *saved);
#if defined(__x86_64__)
extern uint64_t gort__preempt_xsave_mask, gort__preempt_xsave_size;
extern uint8_t  gort__preempt_use_xsave;
#elif defined(__aarch64__)
void    gort__preempt_resume(void *saved);
_Noreturn void gort__preempt_sigreturn(void *frame);
#endif
void    preempt_yield(void);             /* the current goroutine was asked to yield */
void    yield_preempted(void);           /* sched.c: gort_yield, traced as a preemption */
/* At the runtime's entry points: yield if sysmon asked (cooperative preemption). */
#define PREEMPT_POINT() do { if (unlikely(ld_rlx(&sched.preempt_pending) != 0)) preempt_yield(); } while (0)
void    handoffp(P *p);                  /* sched.c: a P taken from a system call */
bool    lend_p(P *blocked);              /* sched.c: one more P while blocked's thread blocks unannounced */
bool    return_lent_p(void);             /* sched.c: that thread is back (false: try later) */

/* ---- runq.c ------------------------------------------------------------ */
#include "runq.h"                        /* runq_put, runq_get: the fast paths, inline */
bool runq_empty(P *p);
G   *runq_steal(P *p, P *victim, bool steal_runnext);
int  runq_drain(P *p, G **out, int max); /* takes everything (P teardown) */
int  runq_steal_all(P *victim, G **out, int max); /* takes everything, as a thief (the owner may run) */
void globrunq_put(G *g);                 /* takes sched.lock */
void globrunq_put_batch_locked(G *head, G *tail, int n);
void globrunq_put_array(G **gs, int n);  /* takes sched.lock */
G   *globrunq_get_locked(P *p, int max);

/* ---- stack.c ----------------------------------------------------------- */
void   stack_init(void);
bool   stack_alloc(stack *s, size_t size);  /* false: out of memory (message printed by caller) */
void   stack_free(stack *s);
void   stack_trim(stack *s, char *low_seen); /* pages below the watermark, if low_seen (NULL: unknown) is below it */
bool   stack_went_deep(stack *s);            /* one load: was the watermark crossed? */
void   stack_scavenge(void);                 /* gives back free stacks unused for a while */
size_t stack_default_size(void);
size_t stack_round_size(size_t want);
bool   stack_canary_intact(const stack *s);
static inline bool stack_check_canary(const stack *s)
{
    return s->guard != GUARD_CANARY || stack_canary_intact(s);
}
void   stack_stats(int64_t *reserved, int64_t *committed, int64_t guards[3]);
bool   stack_guard_hit(const G *g, const void *addr);
void   stack_scheduler_stack_usable(char *lo, char *hi);   /* for Valgrind */
/* test interface (conformance/internal): a pool's free slots; scavenge at a given time */
void   stack_test_pool(size_t size, size_t *dirty, size_t *clean, size_t *keep);
void   stack_test_scavenge_at(int64_t now);

/* ---- timer.c ----------------------------------------------------------- */
typedef void (*timer_fn)(void *arg, uint64_t seq, int64_t now);
typedef struct timer {
    int64_t   when;
    int64_t   period;     /* > 0: periodic */
    timer_fn  fn;
    void     *arg;
    uint64_t  seq;        /* the owner's generation, passed to fn */
    P        *pp;         /* heap it is on, NULL when not queued (atomic) */
    int       idx;        /* index in that heap */
} timer;
void    timer_add(timer *t, int64_t when);     /* onto the current P's heap */
bool    timer_del(timer *t);                   /* true if it was pending */
void    timers_run(P *p, int64_t now);         /* fires the due timers of p */
int64_t timers_next(void);                     /* earliest when over all Ps, or 0 */
void    timers_move(P *from, P *to);           /* P teardown */
void    timer_wait_idle(timer *t);             /* until no P is running t's callback */
int64_t nanotime(void);
int64_t coarse_now(void);   /* CLOCK_MONOTONIC_COARSE: a few ns, tick resolution */
/* test interface (conformance/internal): timer_add onto a given P's heap */
void    timer_test_add_on(P *p, timer *t, int64_t when);

/* ---- sema.c ------------------------------------------------------------ */
void semacquire(uint32_t *addr, bool lifo, int reason);
void semrelease(uint32_t *addr, bool handoff);
void semrelease_n(uint32_t *addr, uint32_t n, bool handoff);  /* wakes up to n */
/* Notify lists (sync.Cond; Go's notifyList): a waiter takes a ticket with
 * notify_list_add before it unlocks its mutex, then sleeps in
 * notify_list_wait until a notify has passed its ticket.  The list lives in
 * the gort_cond; its lock is the sema bucket of its address. */
uint32_t notify_list_add(gort_cond *c);
void     notify_list_wait(gort_cond *c, uint32_t ticket);
void     notify_list_notify_one(gort_cond *c);
void     notify_list_notify_all(gort_cond *c);
/* test interface (conformance/internal): addr's waiters in wake order */
int  sema_test_waiters(uint32_t *addr, G **out, int max);

/* ---- panic.c ----------------------------------------------------------- */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatal_nodump(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatal_deadlock(void);     /* "all goroutines are asleep", with the dump */
void run_defers(G *g);                   /* for goexit: runs all, LIFO */
/* The runtime's own deferred call on the current goroutine's list (a
 * Once's unlock), and its removal by identity when it is not needed: the
 * program's deferred calls made meanwhile stay where they are. */
struct defer_rec *defer_push_internal(void (*fn)(void *), void *arg);
void defer_cancel_internal(struct defer_rec *d);
void panic_free_messages(G *g);          /* when the goroutine ends */
void gort__write_all(int fd, const char *s, size_t n);
void gort__puts(int fd, const char *s);

/* ---- signal.c ---------------------------------------------------------- */
void signals_init(void);
void signals_thread_init(M *m);          /* alternate signal stack */
void signals_thread_exit(M *m);          /* before an M's thread exits */

/* ---- dump.c ------------------------------------------------------------ */
void allg_add(G *g);
G   *allg_first(void);
void dump_goroutine_header(int fd, G *g, bool running_self);
/* Every listed goroutine but `skip`, the caller's own first.  Symbolize
 * only outside signal handlers (the symbolizer allocates). */
void dump_all(int fd, G *skip, bool symbolize);
void dump_created_by(int fd, G *g);      /* "created by FILE:LINE ...", blank line */
/* A goroutine stopped by a signal on its own thread, walked from the
 * interrupted pc and frame pointer. */
void dump_interrupted(int fd, G *g, uintptr_t pc, uintptr_t fp, bool header, bool symbolize);

bool freeze_world(int64_t wait_ns);      /* sched.c: stop other Ms for good */

/* ---- traceback.c ------------------------------------------------------- */
#define TB_MAX_FRAMES 100                /* Go's limit; the rest are elided */
int  tb_self(uintptr_t *pcs, int max);   /* the calling thread, by DWARF CFI */
int  tb_parked(const G *g, uintptr_t *pcs, int max);   /* by frame pointers */
int  tb_walk_frames(uintptr_t fp, uintptr_t lo, uintptr_t hi, bool may_unmap,
                    uintptr_t *pcs, int max);
void tb_print(int fd, const uintptr_t *pcs, int n, bool first_is_exact);
void tb_print_raw(int fd, const uintptr_t *pcs, int n);   /* async-signal-safe */
void tb_start(void);                     /* the symbolizer thread, at start-up */
/* From a signal handler: has the symbolizer thread run report() and exit
 * the process; false if this process has no such thread. */
bool tb_crash_report(void (*report)(void));
/* Has the symbolizer thread run fn soon, off the caller's thread (fn may
 * block); false if an errand is already pending or there is no thread.
 * Never blocks. */
bool tb_errand(void (*fn)(void));
void goroutine_entry(void *arg);         /* sched.c: where every goroutine starts */

/* ---- env.c ------------------------------------------------------------- */
typedef struct config {
    int    gomaxprocs;      /* from GOMAXPROCS, or the CPU count lowered to the CPU limit */
    bool   gomaxprocs_explicit; /* GOMAXPROCS was set: the CPU limit is not followed */
    size_t stack_size;      /* from GORT_STACK_SIZE or 64 KiB */
    int    max_threads;     /* from GORT_MAX_THREADS or 10,000 (Go's debug.SetMaxThreads) */
    bool   async_preempt;   /* GORT_ASYNCPREEMPT: 0 turns the preemption signal off */
    int64_t preempt_after_ns; /* GORT_PREEMPT_AFTER_US: a time slice, 10 ms by default */
} config;
extern config gort__config;
void config_init(void);

#pragma GCC visibility pop

#endif
