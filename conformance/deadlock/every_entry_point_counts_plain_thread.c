// Under gort_main no deadlock is declared while a plain thread (a pthread,
// not a goroutine) that has called ANY gort function is alive: it could
// still wake a goroutine.  For every public function of gort.h (the table
// below; the few that cannot be called harmlessly from a plain thread are
// listed in `excluded` with the reason) a child process runs:
//   main goroutine: makes channel c and what the entry needs (a timer, a
//     ctx, a pipe, ...), starts a pthread, waits (gort_sleep polling, no
//     timer left afterwards) until the thread's one call has returned, then
//     gort_chan_recv(c) and exit 0;
//   the pthread: calls ONLY that one entry point, then sleeps 300 ms with
//     nanosleep (no runtime timer), then gort_chan_send(c).
// A runtime that did not count the thread on that call declares `fatal
// error: all goroutines are asleep - deadlock!` (exit 2) while it sleeps.
// The parent runs the children (8 at a time), checks each exits 0 and names
// every entry that failed, with the first lines of its stderr.
//
// The children are forked from a parent that never starts the runtime, and
// call gort_main themselves, rather than exec'ing /proc/self/exe (which is
// Valgrind itself under Valgrind, and an AArch64 binary qemu-user cannot
// exec without binfmt_misc).
//
// Completeness: the test reads runtime/include/gort.h (found from this
// file's __FILE__, the source path cmake compiles it by) and fails if it
// declares a gort_* function that is neither in the table nor excluded.
// When gort.h gains functions, add them to the table (an entry may have
// several variants, e.g. gort_gomaxprocs's query and set forms).
//
// Entries that cannot tell: gort_ticker_new (the ticker it makes is a
// pending timer, which by itself keeps a deadlock from being declared);
// gort_timer_new(0), gort_after(0) and gort_timer_reset(t, 0) fire at once,
// leaving no timer by the time main blocks.
// gort-test: timeout=90
#include "check.h"

#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#define HOUR ((int64_t)3600 * 1000000000LL)

/* ---- what the entries use (made by the main goroutine in setup) ---------- */

static struct {
    gort_chan *ch;
    gort_timer *timer;
    gort_ticker *ticker;
    gort_waitgroup wg;
    gort_mutex mu;
    gort_rwmutex rw;
    gort_once once;
    gort_ctx *ctx;
    gort_errgroup *eg;
    int fds[2];
    int lfd, cfd;
    struct sockaddr_un addr;
    socklen_t addrlen;
    int devnull;
    int procs;
    /* what the thread's call returned, kept reachable (Valgrind) */
    void *made;
    gort_ctx *made_ctx;
    gort_cond cond;
    gort_afterfunc *af;
} S;

static int ctx_key;
static void noop(void *arg) { (void)arg; }
static int ret0(gort_ctx *ctx, void *arg) { (void)ctx; (void)arg; return 0; }

static void setup_chan(void) { S.ch = gort_chan_make(sizeof(int), 1); }
static void setup_chan_full(void) { setup_chan(); int v = 7; gort_chan_send(S.ch, &v); }
static void setup_chan_extra_ref(void) { setup_chan(); gort_chan_ref(S.ch); }
static void setup_stopped_timer(void) { S.timer = gort_timer_new(HOUR); gort_timer_stop(S.timer); }
static void setup_armed_timer(void) { S.timer = gort_timer_new(HOUR); }
static void setup_ticker(void) { S.ticker = gort_ticker_new(HOUR); }
static void setup_wg_one(void) { gort_wg_add(&S.wg, 1); }
static void setup_locked(void) { gort_mutex_lock(&S.mu); }
static void setup_rlocked(void) { gort_rwmutex_rlock(&S.rw); }
static void setup_wlocked(void) { gort_rwmutex_lock(&S.rw); }
static void setup_cancel_ctx(void) { S.ctx = gort_ctx_with_cancel(gort_ctx_background()); }
static void setup_cancel_ctx_extra_ref(void) { setup_cancel_ctx(); gort_ctx_ref(S.ctx); }
static void setup_value_ctx(void) { S.ctx = gort_ctx_with_value(gort_ctx_background(), &ctx_key, &S); }
static void setup_expired_ctx(void) { S.ctx = gort_ctx_with_deadline(gort_ctx_background(), 0); }
static void setup_errgroup(void) { S.eg = gort_errgroup_new(gort_ctx_background(), NULL); }
static void setup_afterfunc(void) { S.af = gort_ctx_after_func(gort_ctx_background(), noop, NULL); }
static void setup_pipe(void) { CHECK_EQ_INT(pipe2(S.fds, O_CLOEXEC), 0); }
static void setup_pipe_byte(void) { setup_pipe(); CHECK_EQ_INT(write(S.fds[1], "x", 1), 1); }
static void setup_devnull(void) { S.devnull = open("/dev/null", O_WRONLY | O_CLOEXEC); CHECK(S.devnull >= 0); }
static void setup_procs(void) { S.procs = gort_gomaxprocs(0); }
static void setup_listener(void)
{
    S.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(S.lfd >= 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    CHECK_EQ_INT(bind(S.lfd, (struct sockaddr *)&a, sizeof(sa_family_t)), 0);   /* autobind */
    CHECK_EQ_INT(listen(S.lfd, 8), 0);
    S.addrlen = sizeof S.addr;
    CHECK_EQ_INT(getsockname(S.lfd, (struct sockaddr *)&S.addr, &S.addrlen), 0);
    S.cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(S.cfd >= 0);
}
static void setup_pending_conn(void)
{
    setup_listener();
    CHECK_EQ_INT(connect(S.cfd, (struct sockaddr *)&S.addr, S.addrlen), 0);   /* in the backlog */
}

/* ---- the calls (run by the plain thread: one gort call each) ------------- */

static void c_run(void) { gort_run(noop, NULL); }
static void c_go_at(void) { CHECK(gort_go_at(noop, NULL, NULL, __FILE__, __LINE__) > 0); }
static void c_id(void) { CHECK_EQ_U64(gort_id(), 0); }
static void c_yield(void) { gort_yield(); }
static void c_lock_os_thread(void) { gort_lock_os_thread(); }
static void c_unlock_os_thread(void) { gort_unlock_os_thread(); }
static void c_num_goroutine(void) { CHECK_GE_INT(gort_num_goroutine(), 1); }
static void c_gomaxprocs_query(void) { CHECK_GE_INT(gort_gomaxprocs(0), 1); }
static void c_gomaxprocs_set(void) { CHECK_EQ_INT(gort_gomaxprocs(S.procs), S.procs); }
static void c_num_cpu(void) { CHECK_GE_INT(gort_num_cpu(), 1); }
static void c_now(void) { CHECK(gort_now() > 0); }
static void c_sleep(void) { gort_sleep(MS(1)); }
static void c_after(void) { S.made = gort_after(0); }
static void c_timer_new(void) { S.made = gort_timer_new(0); }
static void c_timer_chan(void) { CHECK(gort_timer_chan(S.timer) != NULL); }
static void c_timer_stop(void) { CHECK(!gort_timer_stop(S.timer)); }
static void c_timer_reset(void) { gort_timer_reset(S.timer, 0); }
static void c_timer_free(void) { gort_timer_free(S.timer); }
static void c_ticker_new(void) { S.made = gort_ticker_new(HOUR); }
static void c_ticker_chan(void) { CHECK(gort_ticker_chan(NULL) == NULL); }   /* a live ticker would be a pending timer */
static void c_ticker_free(void) { gort_ticker_free(S.ticker); }
static void c_chan_make(void) { S.made = gort_chan_make(sizeof(int), 1); }
static void c_chan_ref(void) { CHECK(gort_chan_ref(S.ch) == S.ch); }
static void c_chan_unref(void) { gort_chan_unref(S.ch); }
static void c_chan_send(void) { int v = 1; gort_chan_send(S.ch, &v); }
static void c_chan_recv(void) { int v = 0; CHECK(gort_chan_recv(S.ch, &v)); CHECK_EQ_INT(v, 7); }
static void c_chan_try_send(void) { int v = 1; CHECK(gort_chan_try_send(S.ch, &v)); }
static void c_chan_try_recv(void) { int v = 0; bool ok = false; CHECK(gort_chan_try_recv(S.ch, &v, &ok)); CHECK(ok); }
static void c_chan_close(void) { gort_chan_close(S.ch); }
static void c_chan_len(void) { CHECK_EQ_U64(gort_chan_len(S.ch), 0); }
static void c_chan_cap(void) { CHECK_EQ_U64(gort_chan_cap(S.ch), 1); }
static void c_select(void)
{
    int v = 1;
    gort_case cs[1] = { { GORT_SEND, S.ch, &v, false } };
    CHECK_EQ_INT(gort_select(cs, 1, true), 0);
}
static void c_wg_add(void) { gort_wg_add(&S.wg, 1); }
static void c_wg_done(void) { gort_wg_done(&S.wg); }
static void c_wg_wait(void) { gort_wg_wait(&S.wg); }
static void c_mutex_lock(void) { gort_mutex_lock(&S.mu); }
static void c_mutex_trylock(void) { CHECK(gort_mutex_trylock(&S.mu)); }
static void c_mutex_unlock(void) { gort_mutex_unlock(&S.mu); }
static void c_rw_rlock(void) { gort_rwmutex_rlock(&S.rw); }
static void c_rw_runlock(void) { gort_rwmutex_runlock(&S.rw); }
static void c_rw_lock(void) { gort_rwmutex_lock(&S.rw); }
static void c_rw_unlock(void) { gort_rwmutex_unlock(&S.rw); }
static void c_once_do(void) { gort_once_do(&S.once, noop, NULL); }
static void c_wg_go(void) { gort_wg_go(&S.wg, noop, NULL); }
static void c_cond_signal(void) { gort_cond_signal(&S.cond); }
static void c_cond_broadcast(void) { gort_cond_broadcast(&S.cond); }
static void c_ctx_background(void) { CHECK(gort_ctx_background() != NULL); }
static void c_ctx_with_cancel(void) { S.made_ctx = gort_ctx_with_cancel(S.ctx); }
static void c_ctx_with_timeout(void) { S.made_ctx = gort_ctx_with_timeout(S.ctx, -1); }   /* ended: no timer */
static void c_ctx_with_deadline(void) { S.made_ctx = gort_ctx_with_deadline(S.ctx, 0); }  /* ended: no timer */
static void c_ctx_with_value(void) { S.made_ctx = gort_ctx_with_value(S.ctx, &ctx_key, &S); }
static void c_ctx_cancel(void) { gort_ctx_cancel(S.ctx); }
static void c_ctx_done(void) { CHECK(gort_ctx_done(S.ctx) != NULL); }
static void c_ctx_err(void) { CHECK_EQ_INT(gort_ctx_err(S.ctx), 0); }
static void c_ctx_deadline(void) { int64_t d = -1; CHECK(gort_ctx_deadline(S.ctx, &d)); }
static void c_ctx_value(void) { CHECK(gort_ctx_value(S.ctx, &ctx_key) == &S); }
static void c_ctx_ref(void) { CHECK(gort_ctx_ref(S.ctx) == S.ctx); }
static void c_ctx_unref(void) { gort_ctx_unref(S.ctx); }
static void c_ctx_with_cancel_cause(void) { S.made_ctx = gort_ctx_with_cancel_cause(S.ctx); }
static void c_ctx_cancel_cause(void) { gort_ctx_cancel_cause(S.ctx, 42); }
static void c_ctx_cause(void) { CHECK_EQ_INT(gort_ctx_cause(S.ctx), 0); }
static void c_ctx_with_timeout_cause(void) { S.made_ctx = gort_ctx_with_timeout_cause(S.ctx, -1, 7); }   /* ended */
static void c_ctx_with_deadline_cause(void) { S.made_ctx = gort_ctx_with_deadline_cause(S.ctx, 0, 7); }  /* ended */
static void c_ctx_without_cancel(void) { S.made_ctx = gort_ctx_without_cancel(S.ctx); }
static void c_ctx_after_func(void) { S.af = gort_ctx_after_func(S.ctx, noop, NULL); }   /* never runs */
static void c_afterfunc_stop(void) { CHECK(gort_afterfunc_stop(S.af)); }
static void c_errgroup_new(void) { S.made = gort_errgroup_new(S.ctx, NULL); }
static void c_errgroup_limit(void) { gort_errgroup_limit(S.eg, 2); }
static void c_errgroup_go(void) { gort_errgroup_go(S.eg, ret0, NULL); }
static void c_errgroup_wait(void) { CHECK_EQ_INT(gort_errgroup_wait(S.eg), 0); }
static void c_errgroup_try_go(void) { CHECK(gort_errgroup_try_go(S.eg, ret0, NULL)); }
static void c_recover(void) { CHECK(gort_recover() == NULL); }
static void c_syscall_enter(void) { gort_syscall_enter(); }
static void c_syscall_exit(void) { gort_syscall_exit(); }
static void c_fd_wait(void) { CHECK_EQ_INT(gort_fd_wait(S.fds[1], POLLOUT, NULL), 0); }
static void c_read(void) { char b = 0; CHECK_EQ_INT(gort_read(S.fds[0], &b, 1, NULL), 1); }
static void c_write(void) { CHECK_EQ_INT(gort_write(S.fds[1], "y", 1, NULL), 1); }
static void c_accept(void) { CHECK_GE_INT(gort_accept(S.lfd, NULL, NULL, NULL), 0); }
static void c_connect(void) { CHECK_EQ_INT(gort_connect(S.cfd, (struct sockaddr *)&S.addr, S.addrlen, NULL), 0); }
static void c_stats_get(void) { gort_stats s; gort_stats_get(&s); CHECK_GE_INT(s.goroutines, 1); }
static void c_dump(void) { gort_dump(S.devnull); }
static void c_leakcheck(void) { CHECK_EQ_INT(gort_leakcheck(0), 0); }
static void c_trace_start(void) { CHECK_EQ_INT(gort_trace_start(S.devnull), 0); }
static void c_trace_stop(void) { gort_trace_stop(); }
static void c_flight_start(void) { CHECK_EQ_INT(gort_flight_recorder_start(1 << 20), 0); }
static void c_flight_write(void) { CHECK_EQ_INT(gort_flight_recorder_write(S.devnull), 0); }
static void c_flight_stop(void) { gort_flight_recorder_stop(); }
static void setup_flight(void)
{
    setup_devnull();
    CHECK_EQ_INT(gort_flight_recorder_start(1 << 20), 0);
}

static void setup_bg_ctx(void) { S.ctx = gort_ctx_background(); }

typedef struct entry {
    const char *name;            /* the gort.h function it calls */
    const char *variant;         /* NULL, or which use of it */
    void (*setup)(void);         /* main goroutine, before the thread starts; may be NULL */
    void (*call)(void);          /* the thread: that one call and nothing else */
} entry;

static const entry table[] = {
    /* lifecycle, goroutines, scheduler */
    { "gort_run", NULL, NULL, c_run },
    { "gort_go_at", NULL, NULL, c_go_at },
    { "gort_id", NULL, NULL, c_id },
    { "gort_yield", NULL, NULL, c_yield },
    { "gort_lock_os_thread", NULL, NULL, c_lock_os_thread },
    { "gort_unlock_os_thread", NULL, NULL, c_unlock_os_thread },
    { "gort_num_goroutine", NULL, NULL, c_num_goroutine },
    { "gort_gomaxprocs", "query (n < 1)", NULL, c_gomaxprocs_query },
    { "gort_gomaxprocs", "set (same value)", setup_procs, c_gomaxprocs_set },
    { "gort_num_cpu", NULL, NULL, c_num_cpu },
    /* time */
    { "gort_now", NULL, NULL, c_now },
    { "gort_sleep", NULL, NULL, c_sleep },
    { "gort_after", "0 ns", NULL, c_after },
    { "gort_timer_new", "0 ns", NULL, c_timer_new },
    { "gort_timer_chan", "stopped timer", setup_stopped_timer, c_timer_chan },
    { "gort_timer_stop", "stopped timer", setup_stopped_timer, c_timer_stop },
    { "gort_timer_reset", "stopped timer, 0 ns", setup_stopped_timer, c_timer_reset },
    { "gort_timer_free", "armed timer", setup_armed_timer, c_timer_free },
    { "gort_ticker_new", "cannot tell: a pending ticker", NULL, c_ticker_new },
    { "gort_ticker_chan", "NULL ticker", NULL, c_ticker_chan },
    { "gort_ticker_free", NULL, setup_ticker, c_ticker_free },
    /* channels, select */
    { "gort_chan_make", NULL, NULL, c_chan_make },
    { "gort_chan_ref", NULL, setup_chan, c_chan_ref },
    { "gort_chan_unref", NULL, setup_chan_extra_ref, c_chan_unref },
    { "gort_chan_send", "buffered, room", setup_chan, c_chan_send },
    { "gort_chan_recv", "buffered, a value", setup_chan_full, c_chan_recv },
    { "gort_chan_try_send", NULL, setup_chan, c_chan_try_send },
    { "gort_chan_try_recv", NULL, setup_chan_full, c_chan_try_recv },
    { "gort_chan_close", NULL, setup_chan, c_chan_close },
    { "gort_chan_len", NULL, setup_chan, c_chan_len },
    { "gort_chan_cap", NULL, setup_chan, c_chan_cap },
    { "gort_select", "ready send case", setup_chan, c_select },
    /* sync */
    { "gort_wg_add", NULL, NULL, c_wg_add },
    { "gort_wg_done", NULL, setup_wg_one, c_wg_done },
    { "gort_wg_wait", "zero counter", NULL, c_wg_wait },
    { "gort_mutex_lock", NULL, NULL, c_mutex_lock },
    { "gort_mutex_trylock", NULL, NULL, c_mutex_trylock },
    { "gort_mutex_unlock", "locked by main", setup_locked, c_mutex_unlock },
    { "gort_rwmutex_rlock", NULL, NULL, c_rw_rlock },
    { "gort_rwmutex_runlock", "rlocked by main", setup_rlocked, c_rw_runlock },
    { "gort_rwmutex_lock", NULL, NULL, c_rw_lock },
    { "gort_rwmutex_unlock", "locked by main", setup_wlocked, c_rw_unlock },
    { "gort_once_do", NULL, NULL, c_once_do },
    { "gort_wg_go", NULL, NULL, c_wg_go },
    { "gort_cond_signal", "no waiter", NULL, c_cond_signal },
    { "gort_cond_broadcast", "no waiter", NULL, c_cond_broadcast },
    /* context */
    { "gort_ctx_background", NULL, NULL, c_ctx_background },
    { "gort_ctx_with_cancel", NULL, setup_bg_ctx, c_ctx_with_cancel },
    { "gort_ctx_with_timeout", "already ended", setup_bg_ctx, c_ctx_with_timeout },
    { "gort_ctx_with_deadline", "already ended", setup_bg_ctx, c_ctx_with_deadline },
    { "gort_ctx_with_value", NULL, setup_bg_ctx, c_ctx_with_value },
    { "gort_ctx_cancel", NULL, setup_cancel_ctx, c_ctx_cancel },
    { "gort_ctx_done", NULL, setup_cancel_ctx, c_ctx_done },
    { "gort_ctx_err", NULL, setup_cancel_ctx, c_ctx_err },
    { "gort_ctx_deadline", "ended ctx", setup_expired_ctx, c_ctx_deadline },
    { "gort_ctx_value", NULL, setup_value_ctx, c_ctx_value },
    { "gort_ctx_ref", NULL, setup_cancel_ctx, c_ctx_ref },
    { "gort_ctx_unref", NULL, setup_cancel_ctx_extra_ref, c_ctx_unref },
    { "gort_ctx_with_cancel_cause", NULL, setup_bg_ctx, c_ctx_with_cancel_cause },
    { "gort_ctx_cancel_cause", NULL, setup_cancel_ctx, c_ctx_cancel_cause },
    { "gort_ctx_cause", NULL, setup_cancel_ctx, c_ctx_cause },
    { "gort_ctx_with_timeout_cause", "already ended", setup_bg_ctx, c_ctx_with_timeout_cause },
    { "gort_ctx_with_deadline_cause", "already ended", setup_bg_ctx, c_ctx_with_deadline_cause },
    { "gort_ctx_without_cancel", NULL, setup_cancel_ctx, c_ctx_without_cancel },
    { "gort_ctx_after_func", "background ctx", setup_bg_ctx, c_ctx_after_func },
    { "gort_afterfunc_stop", "armed", setup_afterfunc, c_afterfunc_stop },
    /* errgroup */
    { "gort_errgroup_new", NULL, setup_bg_ctx, c_errgroup_new },
    { "gort_errgroup_limit", NULL, setup_errgroup, c_errgroup_limit },
    { "gort_errgroup_go", NULL, setup_errgroup, c_errgroup_go },
    { "gort_errgroup_wait", "empty group", setup_errgroup, c_errgroup_wait },
    { "gort_errgroup_try_go", NULL, setup_errgroup, c_errgroup_try_go },
    /* panic, defer, recover */
    { "gort_recover", NULL, NULL, c_recover },
    /* system calls and I/O */
    { "gort_syscall_enter", NULL, NULL, c_syscall_enter },
    { "gort_syscall_exit", NULL, NULL, c_syscall_exit },
    { "gort_fd_wait", "writable pipe", setup_pipe, c_fd_wait },
    { "gort_read", "a byte there", setup_pipe_byte, c_read },
    { "gort_write", NULL, setup_pipe, c_write },
    { "gort_accept", "a pending connection", setup_pending_conn, c_accept },
    { "gort_connect", "AF_UNIX listener", setup_listener, c_connect },
    /* seeing inside */
    { "gort_stats_get", NULL, NULL, c_stats_get },
    { "gort_dump", NULL, setup_devnull, c_dump },
    { "gort_leakcheck", "0 ns", NULL, c_leakcheck },
    /* execution trace and flight recorder */
    { "gort_trace_start", "into /dev/null", setup_devnull, c_trace_start },
    { "gort_trace_stop", "none running", NULL, c_trace_stop },
    { "gort_flight_recorder_start", NULL, NULL, c_flight_start },
    { "gort_flight_recorder_write", "into /dev/null", setup_flight, c_flight_write },
    { "gort_flight_recorder_stop", "none running", NULL, c_flight_stop },
};
#define NTABLE ((int)(sizeof table / sizeof table[0]))

static const struct { const char *name, *why; } excluded[] = {
    { "gort_main", "starts the runtime and makes its caller the main goroutine; once per process, never returns" },
    { "gort_exit", "ends the calling goroutine; on a plain thread a fatal error" },
    { "gort_panic", "on a plain thread an unrecoverable panic: the process dies" },
    { "gort_defer", "needs a goroutine to defer to; on a plain thread a fatal error" },
    { "gort_cond_wait", "needs its mutex locked (another gort call) and a signal to return; "
                        "sync/cond_plain_thread_waiter covers a waiting plain thread" },
};
#define NEXCLUDED ((int)(sizeof excluded / sizeof excluded[0]))

/* ---- one child ----------------------------------------------------------- */

static int which;
static gort_chan *c;
static _Atomic int called;

static void *thread_main(void *arg)
{
    (void)arg;
    table[which].call();
    atomic_store(&called, 1);
    struct timespec ts = { 0, 300 * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    int v = 1;
    gort_chan_send(c, &v);
    return NULL;
}

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    c = gort_chan_make(sizeof(int), 0);
    if (table[which].setup) table[which].setup();
    pthread_t th;
    CHECK_EQ_INT(pthread_create(&th, NULL, thread_main, NULL), 0);
    /* until the thread's call returned (a fired sleep leaves no timer) */
    while (!atomic_load(&called)) gort_sleep(US(500));
    int v = 0;
    CHECK(gort_chan_recv(c, &v));
    CHECK_EQ_INT(v, 1);
    CHECK_EQ_INT(pthread_join(th, NULL), 0);
    return 0;
}

/* ---- completeness: every gort_* function gort.h declares is covered ------- */

static bool known(const char *name)
{
    for (int i = 0; i < NTABLE; i++)
        if (strcmp(table[i].name, name) == 0) return true;
    for (int i = 0; i < NEXCLUDED; i++)
        if (strcmp(excluded[i].name, name) == 0) return true;
    return false;
}

static int check_complete(void)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", __FILE__);
    for (int up = 0; up < 3; up++) {          /* .../conformance/deadlock/this.c -> ... */
        char *slash = strrchr(path, '/');
        CHECK_MSG(slash != NULL, "cannot find the source tree from __FILE__ \"%s\"", __FILE__);
        *slash = 0;
    }
    strncat(path, "/runtime/include/gort.h", sizeof path - strlen(path) - 1);
    static char hdr[1 << 20];
    ssize_t len = read_file_into(path, hdr, sizeof hdr);
    CHECK_MSG(len > 0, "cannot read %s (found from __FILE__ \"%s\"): %s", path, __FILE__, strerror(errno));

    /* blank out comments and preprocessor lines */
    for (char *p = hdr; *p; ) {
        if (p[0] == '/' && p[1] == '*') {
            char *e = strstr(p + 2, "*/");
            char *end = e ? e + 2 : p + strlen(p);
            for (; p < end; p++) if (*p != '\n') *p = ' ';
        } else if (p[0] == '/' && p[1] == '/') {
            for (; *p && *p != '\n'; p++) *p = ' ';
        } else if (*p == '#' && (p == hdr || p[-1] == '\n' || p[-1] == ' ')) {
            for (; *p && *p != '\n'; p++) {
                if (p[0] == '\\' && p[1] == '\n') { *p++ = ' '; }
                *p = ' ';
            }
        } else {
            p++;
        }
    }
    int declared = 0, missing = 0;
    for (char *p = hdr; (p = strstr(p, "gort_")) != NULL; ) {
        if (p > hdr && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z') ||
                        (p[-1] >= '0' && p[-1] <= '9'))) {
            p += 5;
            continue;
        }
        char name[128];
        size_t n = 0;
        char *q = p;
        while ((*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')) &&
               n < sizeof name - 1)
            name[n++] = *q++;
        name[n] = 0;
        while (*q == ' ' || *q == '\t' || *q == '\n') q++;
        p = q;
        if (*q != '(') continue;              /* a type, not a function */
        declared++;
        if (!known(name)) {
            NOTE("gort.h declares %s, which is neither in the table nor excluded: add it\n", name);
            missing++;
        }
    }
    CHECK_MSG(declared >= 40, "found only %d gort_* functions in %s: the header parse is broken", declared, path);
    NOTE("%d functions declared in gort.h; %d table entries, %d excluded\n", declared, NTABLE, NEXCLUDED);
    return missing;
}

/* ---- the parent ------------------------------------------------------------ */

#define BATCH 8

static void entry_label(int i, char *buf, size_t n)
{
    if (table[i].variant) snprintf(buf, n, "%s (%s)", table[i].name, table[i].variant);
    else snprintf(buf, n, "%s", table[i].name);
}

int main(int argc, char **argv)
{
    int missing = check_complete();

    int64_t limit = MS(30000);
    if (CHECK_VALGRIND) limit *= 10;
    else if (CHECK_SANITIZED) limit *= 4;

    int failed = 0;
    for (int base = 0; base < NTABLE; base += BATCH) {
        pid_t pids[BATCH];
        int errfd[BATCH];
        int n = NTABLE - base < BATCH ? NTABLE - base : BATCH;
        for (int k = 0; k < n; k++) {
            char tmpl[] = "/tmp/gort-entry-XXXXXX";
            errfd[k] = mkstemp(tmpl);
            CHECK(errfd[k] >= 0);
            unlink(tmpl);
            pids[k] = fork();
            CHECK(pids[k] >= 0);
            if (pids[k] == 0) {
                dup2(errfd[k], 1);
                dup2(errfd[k], 2);
                which = base + k;
                _exit(gort_main(child_main, argc, argv));
            }
        }
        int64_t deadline = now_ns() + limit;
        for (int k = 0; k < n; k++) {
            int st = 0;
            pid_t r;
            while ((r = waitpid(pids[k], &st, WNOHANG)) == 0 && now_ns() < deadline) usleep(2000);
            CHECK_MSG(r == 0 || r == pids[k], "waitpid(%d): %s", (int)pids[k], strerror(errno));
            bool hung = r == 0;
            if (hung) {
                kill(pids[k], SIGKILL);
                CHECK_EQ_INT(waitpid(pids[k], &st, 0), pids[k]);
            }
            if (!hung && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
                close(errfd[k]);
                continue;
            }
            failed++;
            char label[128];
            entry_label(base + k, label, sizeof label);
            char *out = file_to_string(errfd[k]);
            char head[600] = "";
            if (out) {
                /* the first three lines */
                const char *e = out;
                for (int l = 0; l < 3 && e && *e; l++) { e = strchr(e, '\n'); if (e) e++; }
                size_t hl = e ? (size_t)(e - out) : strlen(out);
                if (hl >= sizeof head) hl = sizeof head - 1;
                memcpy(head, out, hl);
                head[hl] = 0;
                free(out);
            }
            if (hung)
                NOTE("FAIL %s: no exit within %lld s (killed)\n%s", label, (long long)(limit / 1000000000), head);
            else if (WIFEXITED(st))
                NOTE("FAIL %s: exit status %d\n%s", label, WEXITSTATUS(st), head);
            else
                NOTE("FAIL %s: killed by signal %d\n%s", label, WIFSIGNALED(st) ? WTERMSIG(st) : -1, head);
        }
    }
    NOTE("%d of %d entries failed; %d gort.h function(s) missing from the table\n", failed, NTABLE, missing);
    return failed == 0 && missing == 0 ? 0 : 1;
}
