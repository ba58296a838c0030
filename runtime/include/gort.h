/*
 * gort.h — Go's concurrency model for C.
 *
 * This header is the public contract of libgort (see CONTRACT.md in the
 * project's shared folder): names, signatures and behaviour are fixed.
 * C11, no dependency beyond libc and pthreads; usable from C++ as well.
 * Everything here is safe to call from any thread.  A blocking call from a
 * plain OS thread (one not running a goroutine) blocks that thread; from a
 * goroutine it parks only the goroutine.
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

/* Starts the runtime and runs fn as the main goroutine (id 1).  When fn
 * returns the process exits with its status at once (stdio flushed, atexit
 * run); other goroutines are not waited for.  Never returns. */
int  gort_main(int (*fn)(int argc, char **argv), int argc, char **argv);
#define GORT_MAIN(fn) int main(int argc, char **argv) { return gort_main((fn), argc, argv); }

/* Runs fn as a goroutine and returns when it returns.  The runtime starts on
 * first use and stays up.  This is how a plain thread enters goroutine land. */
void gort_run(void (*fn)(void *arg), void *arg);

/* ---- Goroutines and the scheduler -------------------------------------- */

typedef struct gort_go_opts {
    size_t      stack_size;   /* 0: the default (GORT_STACK_SIZE or 64 KiB) */
    const char *name;         /* shown in gort_dump; may be NULL */
} gort_go_opts;

uint64_t gort_go_at(void (*fn)(void *arg), void *arg, const gort_go_opts *opts,
                    const char *file, int line);
#define gort_go(fn, arg) gort_go_at((fn), (arg), NULL, __FILE__, __LINE__)
#ifndef GORT_NO_SHORT_NAMES
#define go(fn, arg) gort_go((fn), (arg))
#endif

uint64_t gort_id(void);               /* current goroutine's id; main is 1; 0 on a plain thread */
void     gort_yield(void);            /* runtime.Gosched */
GORT_NORETURN void gort_exit(void);   /* runtime.Goexit: runs deferred calls, ends the goroutine */
int      gort_num_goroutine(void);    /* runtime.NumGoroutine */
int      gort_gomaxprocs(int n);      /* n < 1 only queries; returns the previous value */
int      gort_num_cpu(void);          /* CPUs in this process's affinity mask */

/* runtime.LockOSThread: the calling goroutine runs only on its current OS
 * thread, and the thread runs no other goroutine, until as many unlocks as
 * locks (calls nest; unlocking more often than locking does nothing).  For
 * libraries with per-thread state.  A goroutine that ends while locked
 * takes its thread with it (the thread exits; the process's main thread
 * is kept, idle, instead).  From a plain thread: nothing to do. */
void     gort_lock_os_thread(void);
void     gort_unlock_os_thread(void);

/* ---- Time -------------------------------------------------------------- */

typedef struct gort_chan gort_chan;

int64_t gort_now(void);               /* monotonic clock, nanoseconds */
void    gort_sleep(int64_t ns);       /* time.Sleep: parks the goroutine */
gort_chan *gort_after(int64_t ns);    /* time.After; the caller owns the channel */

typedef struct gort_timer gort_timer;
gort_timer *gort_timer_new(int64_t ns);
gort_chan  *gort_timer_chan(gort_timer *t);
bool        gort_timer_stop(gort_timer *t);
void        gort_timer_reset(gort_timer *t, int64_t ns);
void        gort_timer_free(gort_timer *t);

typedef struct gort_ticker gort_ticker;
gort_ticker *gort_ticker_new(int64_t period_ns);
gort_chan   *gort_ticker_chan(gort_ticker *t);
void         gort_ticker_free(gort_ticker *t);

/* ---- Channels and select ----------------------------------------------- */

gort_chan *gort_chan_make(size_t elem_size, size_t cap);
gort_chan *gort_chan_ref(gort_chan *c);
void       gort_chan_unref(gort_chan *c);
void       gort_chan_send(gort_chan *c, const void *elem);
bool       gort_chan_recv(gort_chan *c, void *elem);
bool       gort_chan_try_send(gort_chan *c, const void *elem);
bool       gort_chan_try_recv(gort_chan *c, void *elem, bool *ok);
void       gort_chan_close(gort_chan *c);
size_t     gort_chan_len(gort_chan *c);
size_t     gort_chan_cap(gort_chan *c);

enum { GORT_SEND = 1, GORT_RECV = 2 };
typedef struct gort_case { int dir; gort_chan *ch; void *elem; bool ok; } gort_case;
int gort_select(gort_case *cases, int n, bool block);

/* ---- sync ---------------------------------------------------------------
 * The zero value of each type is ready to use (= {0}); none may be copied
 * once used.  The fields are private to the runtime. */

typedef struct gort_waitgroup {
    uint64_t state_;      /* high 32 bits: counter; low 32 bits: waiters */
    uint32_t sema_;
    uint32_t pad_;
} gort_waitgroup;

typedef struct gort_mutex {
    int32_t  state_;      /* locked | woken | starving | waiters << 3 */
    uint32_t sema_;
} gort_mutex;

typedef struct gort_rwmutex {
    gort_mutex w_;
    uint32_t   writer_sem_;
    uint32_t   reader_sem_;
    int32_t    reader_count_;
    int32_t    reader_wait_;
} gort_rwmutex;

typedef struct gort_once {
    uint32_t   done_;
    gort_mutex m_;
} gort_once;

void gort_wg_add(gort_waitgroup *wg, int64_t delta);
void gort_wg_done(gort_waitgroup *wg);
void gort_wg_wait(gort_waitgroup *wg);
void gort_mutex_lock(gort_mutex *m);
bool gort_mutex_trylock(gort_mutex *m);
void gort_mutex_unlock(gort_mutex *m);
void gort_rwmutex_rlock(gort_rwmutex *m);
void gort_rwmutex_runlock(gort_rwmutex *m);
void gort_rwmutex_lock(gort_rwmutex *m);
void gort_rwmutex_unlock(gort_rwmutex *m);
void gort_once_do(gort_once *o, void (*fn)(void *arg), void *arg);

/* ---- context ----------------------------------------------------------- */

typedef struct gort_ctx gort_ctx;
enum { GORT_CANCELED = 1, GORT_DEADLINE_EXCEEDED = 2 };
gort_ctx  *gort_ctx_background(void);
gort_ctx  *gort_ctx_with_cancel(gort_ctx *parent);
gort_ctx  *gort_ctx_with_timeout(gort_ctx *parent, int64_t ns);
gort_ctx  *gort_ctx_with_deadline(gort_ctx *parent, int64_t deadline);
gort_ctx  *gort_ctx_with_value(gort_ctx *parent, const void *key, void *value);
void       gort_ctx_cancel(gort_ctx *ctx);
gort_chan *gort_ctx_done(gort_ctx *ctx);
int        gort_ctx_err(gort_ctx *ctx);
bool       gort_ctx_deadline(gort_ctx *ctx, int64_t *deadline);
void      *gort_ctx_value(gort_ctx *ctx, const void *key);
gort_ctx  *gort_ctx_ref(gort_ctx *ctx);
void       gort_ctx_unref(gort_ctx *ctx);

/* ---- errgroup ---------------------------------------------------------- */

typedef struct gort_errgroup gort_errgroup;
gort_errgroup *gort_errgroup_new(gort_ctx *parent, gort_ctx **ctx_out);
void gort_errgroup_limit(gort_errgroup *g, int n);
void gort_errgroup_go(gort_errgroup *g, int (*fn)(gort_ctx *ctx, void *arg), void *arg);
int  gort_errgroup_wait(gort_errgroup *g);

/* ---- panic, defer, recover --------------------------------------------- */

GORT_NORETURN void gort_panic(const char *fmt, ...) GORT_PRINTF_LIKE(1, 2);
void        gort_defer(void (*fn)(void *arg), void *arg);
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
 * each is woken when it is ready. */

/* Around a blocking call the poller cannot wait for (a regular file, DNS):
 * the thread's processor goes to another thread meanwhile.  Read errno
 * before gort_syscall_exit, which may resume the goroutine elsewhere. */
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

typedef struct gort_stats {
    int64_t goroutines, threads, procs, spawned, switches, steals;
    int64_t stack_reserved_bytes, stack_committed_bytes;
    /* gort additions (after the contract's fields): how stack guards are made.
     * kernel: MADV_GUARD_INSTALL (Linux 6.13+), one mapping for the arena;
     * mprotect: PROT_NONE pages (each splits the mapping; used within a budget);
     * canary: no guard page, a canary word checked when the goroutine parks. */
    int64_t stack_guards_kernel, stack_guards_mprotect, stack_guards_canary;
    /* goroutines interrupted by the preemption signal so far (0 while it is
     * off: GORT_ASYNCPREEMPT=0, ThreadSanitizer, Valgrind) */
    int64_t preemptions;
} gort_stats;

void gort_stats_get(gort_stats *out);
void gort_dump(int fd);
int  gort_leakcheck(int64_t timeout_ns);

#ifdef __cplusplus
}
#endif
#endif /* GORT_H */
