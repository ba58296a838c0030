/*
 * gort.h — Go's concurrency model for C.
 *
 * The public API of libgort: goroutines, channels and select, sync,
 * context, errgroup, timers, panics, netpoll I/O and diagnostics.  Each
 * declaration below says what it does, whether it blocks, who owns what it
 * returns, and how it fails; docs/API.md is the full reference, with the
 * rules that cut across the API and gort's compatibility promise (these
 * names, signatures and documented behaviour stay stable).
 * C11, no dependency beyond libc and pthreads; usable from C++ as well.
 *
 * Everything here is safe to call from any thread.  A blocking call from a
 * plain OS thread (one not running a goroutine) blocks that thread; from a
 * goroutine it parks only the goroutine, and the goroutine may continue on
 * another OS thread afterwards (do not trust errno or a thread-local's
 * address across a call that can park).  Misuse is reported as Go reports
 * it: a panic (recoverable, "panic: MSG", exit 2 if not recovered) where Go
 * panics, "fatal error: MSG" (exit 2, not recoverable) where Go throws.
 */
#ifndef GORT_H
#define GORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GORT_VERSION_MAJOR 0
#define GORT_VERSION_MINOR 2
#define GORT_VERSION_PATCH 0

#if defined(__GNUC__) || defined(__clang__)
#define GORT_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define GORT_PRINTF_LIKE(f, a)
#endif

#ifdef __cplusplus
#define GORT_NORETURN [[noreturn]]
#else
#define GORT_NORETURN _Noreturn
#endif

/* ---- Lifecycle --------------------------------------------------------- */

/* Starts the runtime and runs fn as the main goroutine (id 1, 8 MiB stack).
 * When fn returns, its deferred calls run and the process exits with its
 * status at once (stdio flushed, atexit run); other goroutines are not
 * waited for.  A recovered panic in main exits 0.  Never returns (int only
 * so "return gort_main(...)" reads naturally).  Fatal: fn NULL; called
 * from a goroutine; called twice (when detected). */
int  gort_main(int (*fn)(int argc, char **argv), int argc, char **argv);
/* Defines main() to call gort_main(fn, argc, argv). */
#define GORT_MAIN(fn) int main(int argc, char **argv) { return gort_main((fn), argc, argv); }

/* Runs fn(arg) as a new goroutine and blocks until it has ended (returned,
 * gort_exit, or a recovered panic).  The runtime starts on first use and
 * stays up.  This is how a plain thread enters goroutine land; from a
 * goroutine it parks the caller.  Never declares a deadlock.  Fatal: fn
 * NULL ("go of nil func value"). */
void gort_run(void (*fn)(void *arg), void *arg);

/* ---- Goroutines and the scheduler -------------------------------------- */

/* Options for gort_go_at; NULL means all defaults. */
typedef struct gort_go_opts {
    size_t      stack_size;   /* 0: the default (GORT_STACK_SIZE or 64 KiB) */
    const char *name;         /* shown in gort_dump; may be NULL */
} gort_go_opts;

/* Starts fn(arg) in a new goroutine; returns its id (> 0, never reused).
 * Never blocks; the goroutine may run before this returns.  file/line is
 * the creation site shown in dumps; file, like opts->name, is kept, not
 * copied.  opts->stack_size: 0 the default; up to 1 GiB, rounded up to
 * pages, with a guard page; under a page, packed with no guard page (an
 * overflow is caught by a canary when the goroutine next parks); gort's
 * calls fit in 1 KiB optimised, 2 KiB in a Debug build, but link code on
 * such stacks with -Wl,-z,now (docs/API.md says why).  Fatal:
 * fn NULL ("go of nil func value"); stack_size above 1 GiB; no memory. */
uint64_t gort_go_at(void (*fn)(void *arg), void *arg, const gort_go_opts *opts,
                    const char *file, int line);
/* gort_go_at with default options and the caller's __FILE__/__LINE__. */
#define gort_go(fn, arg) gort_go_at((fn), (arg), NULL, __FILE__, __LINE__)
#ifndef GORT_NO_SHORT_NAMES
/* Go's go statement; define GORT_NO_SHORT_NAMES to leave it out. */
#define go(fn, arg) gort_go((fn), (arg))
#endif

uint64_t gort_id(void);               /* current goroutine's id; main is 1; 0 on a plain thread */
void     gort_yield(void);            /* runtime.Gosched: back of the run queue; returns at once
                                         if nothing else can run; sched_yield on a plain thread */
/* runtime.Goexit: runs this goroutine's deferred calls, newest first, and
 * ends it.  Never returns.  From a deferred call during a panic it ends
 * the panic.  From main: see docs/API.md.  Fatal on a plain thread. */
GORT_NORETURN void gort_exit(void);
int      gort_num_goroutine(void);    /* runtime.NumGoroutine: goroutines that exist now, main
                                         included, from gort_go's return until they end */
/* runtime.GOMAXPROCS.  n < 1 only returns the current value.  Otherwise
 * sets it (at most 1024), returns the previous value, and stops following
 * the CPU limit; a shrink blocks until it has taken effect.  The default
 * is the GOMAXPROCS environment variable, else the CPU count lowered to
 * the cgroup CPU limit (rounded up, at least 2 where there are 2+ CPUs;
 * the tightest of the cgroup and its ancestors), re-read about once a
 * second. */
int      gort_gomaxprocs(int n);
int      gort_num_cpu(void);          /* CPUs in this process's affinity mask (not the cgroup limit) */

/* runtime.LockOSThread: the calling goroutine runs only on its current OS
 * thread, and the thread runs no other goroutine, until as many unlocks as
 * locks (calls nest; unlocking more often than locking does nothing).  For
 * libraries with per-thread state.  A goroutine that ends while locked
 * takes its thread with it (the thread exits; the process's main thread
 * is kept, idle, instead).  From a plain thread: nothing to do.  Never
 * blocks.  (A goroutine interrupted by the preemption signal is wired to
 * its thread the same way until it next parks.) */
void     gort_lock_os_thread(void);
/* runtime.UnlockOSThread: undoes one gort_lock_os_thread. */
void     gort_unlock_os_thread(void);

/* ---- Time --------------------------------------------------------------
 * All times are nanoseconds on gort_now()'s clock.  Timer and ticker
 * channels carry int64_t values: gort_now() when the timer fired. */

/* A channel (see "Channels and select"). */
typedef struct gort_chan gort_chan;

int64_t gort_now(void);               /* monotonic clock (CLOCK_MONOTONIC), nanoseconds */
void    gort_sleep(int64_t ns);       /* time.Sleep: blocks (parks the goroutine); ns <= 0 returns */
/* time.After: a channel that receives gort_now() once, ns from now.  Never
 * blocks.  The caller owns the channel and must gort_chan_unref it, before
 * or after it fires (the runtime keeps its own reference until then). */
gort_chan *gort_after(int64_t ns);

/* time.Timer, with Go 1.23's rules: once stop or reset returns, no value
 * from the earlier setting can be received.  None of these blocks. */
typedef struct gort_timer gort_timer;
/* A timer that fires once, ns from now.  The caller owns it: gort_timer_free. */
gort_timer *gort_timer_new(int64_t ns);
/* Its channel, borrowed: valid until gort_timer_free; never unref or close it. */
gort_chan  *gort_timer_chan(gort_timer *t);
/* Withdraws the setting; true if that prevented a delivery (a value that
 * fired but was never received counts).  Panics if t is NULL. */
bool        gort_timer_stop(gort_timer *t);
/* Withdraws the setting and arms it again, ns from now.  Panics if t is NULL. */
void        gort_timer_reset(gort_timer *t, int64_t ns);
/* Stops it and frees it and its channel (NULL: nothing). */
void        gort_timer_free(gort_timer *t);

/* time.Ticker: gort_now() every period_ns; a tick that finds the previous
 * one unreceived is dropped.  Panics if period_ns <= 0.  The caller owns
 * it: gort_ticker_free.  Its channel is borrowed like a timer's. */
typedef struct gort_ticker gort_ticker;
gort_ticker *gort_ticker_new(int64_t period_ns);
gort_chan   *gort_ticker_chan(gort_ticker *t);
void         gort_ticker_free(gort_ticker *t);   /* stops it and frees it (NULL: nothing) */

/* ---- Channels and select -----------------------------------------------
 * Go's channels.  Values are copied (elem_size bytes).  Unbuffered (cap 0):
 * a send completes when a receiver takes the value; buffered: FIFO.  A
 * NULL channel blocks send and receive for ever and is never ready in a
 * select.  Lifetime is a reference count: whoever calls a function on a
 * channel holds a reference for the call. */

/* A channel of elem_size-byte elements (0: a signal channel; elem may then
 * be NULL everywhere) with a buffer of cap.  Refcount 1, the caller's.
 * Never blocks.  Panics "makechan: size out of range" past 2^48 bytes. */
gort_chan *gort_chan_make(size_t elem_size, size_t cap);
gort_chan *gort_chan_ref(gort_chan *c);            /* adds a reference; returns c (NULL: NULL) */
/* Drops a reference; frees the channel at 0 (NULL: nothing).  Fatal if
 * goroutines are still blocked on it then. */
void       gort_chan_unref(gort_chan *c);
/* Blocks until the value is taken or buffered.  Panics "send on closed
 * channel" if c is closed, or is closed while it waits. */
void       gort_chan_send(gort_chan *c, const void *elem);
/* Blocks until a value arrives; true with the value in elem (NULL:
 * discarded), or false with elem zero-filled once c is closed and drained. */
bool       gort_chan_recv(gort_chan *c, void *elem);
/* Never blocks: false if the send would block.  Panics on a closed channel. */
bool       gort_chan_try_send(gort_chan *c, const void *elem);
/* Never blocks: false if the receive would block; else true, with *ok (ok
 * may be NULL) as gort_chan_recv's result. */
bool       gort_chan_try_recv(gort_chan *c, void *elem, bool *ok);
/* Wakes every receiver (false) and sender (they panic).  Panics "close of
 * nil channel" / "close of closed channel".  Releases no reference. */
void       gort_chan_close(gort_chan *c);
size_t     gort_chan_len(gort_chan *c);            /* values buffered now; 0 for NULL */
size_t     gort_chan_cap(gort_chan *c);            /* buffer size; 0 for NULL */

/* Directions of a select case. */
enum { GORT_SEND = 1, GORT_RECV = 2 };
/* One case of gort_select: dir, channel (NULL: never ready), elem (the
 * value to send, or where to receive; NULL discards), and ok, set for a
 * receive case that completes (false: closed). */
typedef struct gort_case { int dir; gort_chan *ch; void *elem; bool ok; } gort_case;
/* Go's select: performs one case that can proceed and returns its index,
 * chosen uniformly at random among those ready.  block false: -1 at once
 * if none is ready (default); block true: blocks until one is (n 0, cases
 * NULL: for ever).  Panics "send on closed channel", or for a dir that is
 * neither GORT_SEND nor GORT_RECV. */
int gort_select(gort_case *cases, int n, bool block);

/* ---- sync ---------------------------------------------------------------
 * The zero value of each type is ready to use (= {0}); none may be copied
 * once used, none needs freeing.  The fields are private to the runtime.
 * Blocking calls park a goroutine and put a plain thread to sleep. */

/* sync.WaitGroup. */
typedef struct gort_waitgroup {
    uint64_t state_;      /* high 32 bits: counter; low 32 bits: waiters */
    uint32_t sema_;
    uint32_t pad_;
} gort_waitgroup;

/* sync.Mutex: not recursive; any goroutine may unlock it. */
typedef struct gort_mutex {
    int32_t  state_;      /* locked | woken | starving | waiters << 3 */
    uint32_t sema_;
} gort_mutex;

/* sync.RWMutex: many readers or one writer; a waiting writer holds off
 * new readers. */
typedef struct gort_rwmutex {
    gort_mutex w_;
    uint32_t   writer_sem_;
    uint32_t   reader_sem_;
    int32_t    reader_count_;
    int32_t    reader_wait_;
} gort_rwmutex;

/* sync.Once. */
typedef struct gort_once {
    uint32_t   done_;
    gort_mutex m_;
} gort_once;

/* sync.Cond.  Wait's tickets: wait_ is the next ticket handed out, notify_
 * the next one to wake; waiters are queued in ticket order. */
typedef struct gort_cond {
    gort_mutex *mutex_;   /* the mutex it is used with (set by the first wait) */
    uint32_t    wait_;
    uint32_t    notify_;
    void       *head_;
    void       *tail_;
} gort_cond;

/* Adds delta (may be negative) to the counter; never blocks.  Panics
 * "sync: negative WaitGroup counter". */
void gort_wg_add(gort_waitgroup *wg, int64_t delta);
void gort_wg_done(gort_waitgroup *wg);             /* gort_wg_add(wg, -1) */
/* Blocks until the counter is 0.  wg may be freed or reused once it returns. */
void gort_wg_wait(gort_waitgroup *wg);
/* Blocks until the lock is had. */
void gort_mutex_lock(gort_mutex *m);
/* Takes the lock if it is free now; never blocks. */
bool gort_mutex_trylock(gort_mutex *m);
/* Releases it; never blocks.  Fatal "sync: unlock of unlocked mutex". */
void gort_mutex_unlock(gort_mutex *m);
/* Blocks while a writer holds or waits for the lock. */
void gort_rwmutex_rlock(gort_rwmutex *m);
/* Never blocks.  Fatal "sync: RUnlock of unlocked RWMutex". */
void gort_rwmutex_runlock(gort_rwmutex *m);
/* Blocks until no writer and no reader holds it. */
void gort_rwmutex_lock(gort_rwmutex *m);
/* Never blocks.  Fatal "sync: Unlock of unlocked RWMutex". */
void gort_rwmutex_unlock(gort_rwmutex *m);
/* Calls fn(arg) if this is o's first do; other callers block until it has
 * returned.  o is done even if fn panics or calls gort_exit.  fn NULL just
 * marks o done. */
void gort_once_do(gort_once *o, void (*fn)(void *arg), void *arg);

/* WaitGroup.Go (Go 1.25): adds 1 to wg, runs fn(arg) in a new goroutine and
 * marks it done when that goroutine ends (fn returns or calls gort_exit),
 * after every call fn deferred.  Never blocks.  Fatal: fn NULL. */
void gort_wg_go(gort_waitgroup *wg, void (*fn)(void *arg), void *arg);

/* sync.Cond.  wait: m must be locked; unlocks it, parks until a signal or
 * broadcast chooses this waiter, locks m again.  signal wakes the
 * longest-waiting goroutine, broadcast all waiting ones; neither wakes one
 * that starts waiting after the call, and there are no spurious wake-ups
 * (still loop on your condition: another goroutine may change it before
 * the woken one has m).  A cond is always used with one mutex: another one
 * panics "sync.Cond is copied".  Zero value ready; plain threads may wait.
 * signal and broadcast never block. */
void gort_cond_wait(gort_cond *c, gort_mutex *m);
void gort_cond_signal(gort_cond *c);
void gort_cond_broadcast(gort_cond *c);

/* ---- context ------------------------------------------------------------
 * Go's context.  Ending a context ends its descendants, never an ancestor;
 * the first reason sticks.  Every with_* constructor (and without_cancel)
 * returns a context holding one reference, the caller's: gort_ctx_unref it
 * when done (Go's defer cancel()); each context holds a reference on its
 * parent.  A NULL parent panics "cannot create context from nil parent".
 * Nothing here blocks. */

typedef struct gort_ctx gort_ctx;
/* gort_ctx_err's codes (0 while live). */
enum { GORT_CANCELED = 1, GORT_DEADLINE_EXCEEDED = 2 };
/* The root: never ends, no values; ref/unref do nothing on it. */
gort_ctx  *gort_ctx_background(void);
/* A child that gort_ctx_cancel ends (at once if parent has ended). */
gort_ctx  *gort_ctx_with_cancel(gort_ctx *parent);
/* A cancelable child that ends by itself, GORT_DEADLINE_EXCEEDED, ns from now. */
gort_ctx  *gort_ctx_with_timeout(gort_ctx *parent, int64_t ns);
/* The same, at an absolute deadline on gort_now()'s clock (never later
 * than the parent's). */
gort_ctx  *gort_ctx_with_deadline(gort_ctx *parent, int64_t deadline);
/* A child carrying value under key (compared as a pointer; not owned).
 * Panics "nil key". */
gort_ctx  *gort_ctx_with_value(gort_ctx *parent, const void *key, void *value);
/* Ends ctx and its descendants with GORT_CANCELED, synchronously: when it
 * returns their err is set and done closed.  Does nothing on contexts that
 * cannot be canceled (background, value, without-cancel, NULL). */
void       gort_ctx_cancel(gort_ctx *ctx);
/* Closed when ctx ends; NULL if it never can.  Borrowed: never unref it. */
gort_chan *gort_ctx_done(gort_ctx *ctx);
/* 0 while live, then GORT_CANCELED or GORT_DEADLINE_EXCEEDED. */
int        gort_ctx_err(gort_ctx *ctx);
/* True, with *deadline set (deadline may be NULL), if ctx has one. */
bool       gort_ctx_deadline(gort_ctx *ctx, int64_t *deadline);
/* The value of the nearest with_value for key at or above ctx, or NULL. */
void      *gort_ctx_value(gort_ctx *ctx, const void *key);
/* Adds a reference; returns ctx. */
gort_ctx  *gort_ctx_ref(gort_ctx *ctx);
/* Drops one; the last one cancels ctx (if it can be) and releases its
 * parent.  NULL: nothing. */
void       gort_ctx_unref(gort_ctx *ctx);

/* Causes (Go 1.20-1.21).  gort_ctx_cause is 0 while ctx is live; once it
 * has ended, the cause given to the cancellation that ended it (its own or
 * an ancestor's, the first to happen), or its err code where none was
 * given.  cancel_cause works on any context with_cancel* made (cause 0 is
 * a plain cancel); the deadline timer of the _cause constructors gives
 * their cause, with err GORT_DEADLINE_EXCEEDED. */
gort_ctx  *gort_ctx_with_cancel_cause(gort_ctx *parent);
void       gort_ctx_cancel_cause(gort_ctx *ctx, int cause);
int        gort_ctx_cause(gort_ctx *ctx);
gort_ctx  *gort_ctx_with_timeout_cause(gort_ctx *parent, int64_t ns, int cause);
gort_ctx  *gort_ctx_with_deadline_cause(gort_ctx *parent, int64_t deadline, int cause);
/* context.WithoutCancel: parent's values, never done, no deadline; the
 * caller owns the reference returned. */
gort_ctx  *gort_ctx_without_cancel(gort_ctx *parent);
/* context.AfterFunc: runs fn(arg) in its own goroutine once ctx ends (at
 * once if it has).  The handle keeps ctx alive; call gort_afterfunc_stop
 * exactly once per handle, before or after fn ran: it frees the handle and
 * returns true if it kept fn from starting.  Fatal: fn NULL. */
typedef struct gort_afterfunc gort_afterfunc;
gort_afterfunc *gort_ctx_after_func(gort_ctx *ctx, void (*fn)(void *arg), void *arg);
bool       gort_afterfunc_stop(gort_afterfunc *a);

/* ---- errgroup ----------------------------------------------------------
 * golang.org/x/sync/errgroup: the first member to return non-zero cancels
 * the group's context, and wait returns that result. */

typedef struct gort_errgroup gort_errgroup;
/* A group whose context is a cancelable child of parent (NULL: the
 * background).  *ctx_out (ctx_out may be NULL) gets a reference the caller
 * owns and must unref; it stays valid, canceled, after wait. */
gort_errgroup *gort_errgroup_new(gort_ctx *parent, gort_ctx **ctx_out);
/* At most n members active at once (n < 0: no limit; 0: none start).
 * Panics if members are active. */
void gort_errgroup_limit(gort_errgroup *g, int n);
/* Starts fn(group ctx, arg) in a new goroutine; blocks while the limit is
 * reached.  Fatal: fn NULL. */
void gort_errgroup_go(gort_errgroup *g, int (*fn)(gort_ctx *ctx, void *arg), void *arg);
/* Blocks until every member has ended, cancels the group's context, frees
 * g, and returns the first non-zero result (or 0). */
int  gort_errgroup_wait(gort_errgroup *g);
/* TryGo: starts fn only if that keeps the group within its limit, and says
 * whether it did; never blocks. */
bool gort_errgroup_try_go(gort_errgroup *g, int (*fn)(gort_ctx *ctx, void *arg), void *arg);

/* ---- panic, defer, recover ---------------------------------------------
 * Deferred calls belong to the goroutine, not to the C function that made
 * them: they run, newest first, when the goroutine ends (its function
 * returns, gort_exit, or a panic). */

/* Panics with a printf-formatted message; never returns.  The deferred
 * calls run; if one recovers, the goroutine ends normally after the rest.
 * Unrecovered: "panic: MSG", the goroutine's backtrace, exit status 2. */
GORT_NORETURN void gort_panic(const char *fmt, ...) GORT_PRINTF_LIKE(1, 2);
/* Defers fn(arg) to the end of the calling goroutine.  Panics if fn is
 * NULL; fatal on a plain thread. */
void        gort_defer(void (*fn)(void *arg), void *arg);
/* Inside a deferred call during a panic: stops the panic and returns its
 * message (valid until the goroutine ends).  Elsewhere: NULL. */
const char *gort_recover(void);

/* ---- Blocking system calls and I/O -------------------------------------
 *
 * Errors are values, as in Go.  A goroutine may come back from a call that
 * parks on another OS thread, and compilers may keep errno's address from
 * before the call, so these calls report failure in their return value:
 * a negative errno (-ECANCELED or -ETIMEDOUT when ctx ended first, -EPIPE,
 * -ECONNREFUSED, -EBADF ...), never -1 with the error only in errno.
 * ctx may be NULL (wait for ever).  The goroutine parks, not its thread, on
 * one poller shared by the runtime; from a plain thread the calls block
 * that thread.  Readiness is level-triggered for the caller: a descriptor
 * that is ready when a wait starts is reported at once.  Several goroutines
 * may wait on one descriptor at once (accept loops sharing a listener);
 * each is woken when it is ready.  Do not close(2) a descriptor while
 * goroutines wait on it. */

/* Around a blocking call the poller cannot wait for (a regular file, DNS):
 * the thread's processor goes to another thread meanwhile.  Read errno
 * before gort_syscall_exit, which may resume the goroutine elsewhere.
 * enter never blocks; exit parks if no processor is free.  Call nothing
 * else of gort's in between.  No-ops on a plain thread; fatal if
 * unbalanced.  A thread blocked without them gets a processor lent in its
 * place after 3 ms or more. */
void    gort_syscall_enter(void);
void    gort_syscall_exit(void);
/* Waits until fd is ready for POLLIN or POLLOUT (one of them) and consumes
 * nothing.  0: ready; GORT_CANCELED or GORT_DEADLINE_EXCEEDED: ctx ended
 * first; negative errno: fd cannot be waited for (-EBADF: not open; -EPERM:
 * a file epoll cannot watch, such as a regular file). */
int     gort_fd_wait(int fd, short events, gort_ctx *ctx);
/* read(2) that parks: the bytes read (at least 1), 0 at end of file, or a
 * negative errno.  On a ctx's end nothing has been consumed. */
ssize_t gort_read(int fd, void *buf, size_t n, gort_ctx *ctx);
/* Writes all n bytes, parking as needed: n, or a negative errno (some
 * bytes may have been written then).  SIGPIPE is the program's business:
 * ignore it to get -EPIPE. */
ssize_t gort_write(int fd, const void *buf, size_t n, gort_ctx *ctx);
/* accept(2) that parks: the new descriptor, or a negative errno. */
int     gort_accept(int fd, struct sockaddr *addr, socklen_t *len, gort_ctx *ctx);
/* connect(2) that parks until the connection is made: 0, or a negative
 * errno (-ECONNREFUSED ...). */
int     gort_connect(int fd, const struct sockaddr *addr, socklen_t len, gort_ctx *ctx);

/* ---- Seeing inside ----------------------------------------------------- */

/* A snapshot of the runtime (gort_stats_get); fields may change while it
 * is taken.  New fields are only ever added at the end. */
typedef struct gort_stats {
    int64_t goroutines, threads, procs, spawned, switches, steals;
    int64_t stack_reserved_bytes, stack_committed_bytes;
    /* How stack guards are made.
     * kernel: MADV_GUARD_INSTALL (Linux 6.13+), one mapping for the arena;
     * mprotect: PROT_NONE pages (each splits the mapping; used within a budget);
     * canary: no guard page, a canary word checked when the goroutine parks. */
    int64_t stack_guards_kernel, stack_guards_mprotect, stack_guards_canary;
    /* goroutines interrupted by the preemption signal so far (0 while it is
     * off: GORT_ASYNCPREEMPT=0, ThreadSanitizer, Valgrind) */
    int64_t preemptions;
    /* Goroutines in each state now (Go 1.26's /sched/goroutines/...):
     * running on a thread (a goroutine blocked in a system call it did not
     * bracket is running), runnable (on a run queue, preempted ones
     * included), waiting (parked: channel, select, sync, sleep, I/O), in a
     * system call (between gort_syscall_enter and _exit).  Read one
     * goroutine at a time while they run on: the four add up to goroutines
     * when nothing changes meanwhile. */
    int64_t running, runnable, waiting, in_syscall;
} gort_stats;

/* Fills *out (goroutines as gort_num_goroutine, the runtime's threads for
 * goroutines, procs as GOMAXPROCS, goroutines ever spawned, switches, steals, stack
 * memory).  Never blocks. */
void gort_stats_get(gort_stats *out);
/* Writes every goroutine to fd in Go's traceback format: "goroutine N
 * [STATE]:", its backtrace, "created by FILE:LINE".  Does not park. */
void gort_dump(int fd);
/* Go's goleak: blocks up to timeout_ns for every goroutine but the caller
 * and main to end; returns how many remain and dumps them to stderr. */
int  gort_leakcheck(int64_t timeout_ns);

/* ---- Execution trace and flight recorder (Go's runtime/trace) ----
 * A trace is Chrome/Perfetto trace-event JSON ({"traceEvents": [...]}):
 * goroutine create, start, stop (park with its wait reason, yield,
 * preemption, system call, end), unpark, and Ms taking and releasing Ps,
 * with timestamps in microseconds since the start, one track per P.  Open
 * it in Perfetto (ui.perfetto.dev) or chrome://tracing; scripts/trace_plot.py
 * draws it, scripts/trace_check.py checks it.  GORT_TRACE=FILE traces the
 * whole run into FILE.  With nothing recording, the runtime's cost is one
 * predictable branch per event.  One trace or recorder at a time. */

/* Starts writing a trace to fd (a file or pipe the caller owns; the
 * runtime writes from a thread of its own as buffers fill).  0, -EBUSY
 * while a trace or the flight recorder runs, -EBADF for fd < 0, -ENOMEM or
 * -EAGAIN if its buffers or thread cannot be had.  A trace still running
 * at exit() is finished then; at a fatal error its buffers are written. */
int  gort_trace_start(int fd);
/* Stops the trace and writes what is buffered; returns once the JSON is
 * complete.  The fd stays the caller's.  Does nothing if none runs.  If a
 * write to fd failed, it prints "gort: trace: writing the trace failed:
 * ERROR" on stderr. */
void gort_trace_stop(void);
/* Go 1.25's FlightRecorder: keeps about the last `bytes` of trace (at
 * least two 64 KiB buffers) in memory, writing nothing until asked.  0,
 * -EBUSY while a trace or the recorder runs, -EINVAL for 0 bytes, -ENOMEM.
 * If a fatal error or deadlock is reported while it runs, the window is
 * written to $GORT_FLIGHT_FILE, or gort-flight-PID.json in the working
 * directory, and the report says where. */
int  gort_flight_recorder_start(size_t bytes);
/* Writes the window kept so far to fd (the recorder goes on); 0, -EINVAL if
 * the recorder is not running, -EBADF for fd < 0, or a negative errno from
 * the write. */
int  gort_flight_recorder_write(int fd);
/* Stops the recorder and drops its window.  Does nothing if none runs. */
void gort_flight_recorder_stop(void);

#ifdef __cplusplus
}
#endif
#endif /* GORT_H */
