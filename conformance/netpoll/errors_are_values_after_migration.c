// Errors as values, after parking and migrating between OS threads.  With
// GOMAXPROCS=2, 4 worker goroutines (next to 2 that keep the Ps busy in
// bursts of gort_yield loops) each repeat, in the natural style of a program
// (errno is touched first: a failing plain system call sets it on the
// goroutine's current thread; then the gort call; then a check of the value
// the call RETURNED, never of errno):
//  - gort_read with a 1 ms timeout ctx on a socket nobody writes: it parks,
//    and returns -ETIMEDOUT;
//  - gort_read with a cancelable ctx that another goroutine cancels 1 ms
//    later, while the read is parked: -ECANCELED;
//  - gort_connect to a 127.0.0.1 port where a socket is bound but not
//    listening: -ECONNREFUSED (left out if AF_INET sockets are unavailable);
//  - gort_write to a socket whose peer has closed: -EPIPE (SIGPIPE ignored);
//  - gort_read and gort_fd_wait on a closed descriptor: -EBADF;
//  - gort_fd_wait on a regular file (epoll cannot watch it): -EPERM.
// Every call, on whichever thread it returns, must return exactly that
// value.  The OS thread (gettid) is taken before and after each call; the
// workers go on until 20 of the parking reads have resumed on another thread
// than they started on and every worker has done 50 rounds, or 5 s have
// passed (up to 20 s while no read has migrated yet: Valgrind, qemu), and
// the test fails if none migrated: it would then have checked nothing
// across a migration.  At least one canceled read must have been inside
// gort_read when the cancel came.  (On the 2-CPU VM it stops after about
// 170 ms, with 60-100% of the parking reads resumed on another thread;
// 30-75% with the process pinned to one CPU; about 50% under Valgrind.)
//
// Why values: a goroutine may resume on another OS thread after a call that
// parks, and gcc and clang treat __errno_location() as a const function, so
// errno read after such a call may be the errno of the thread the goroutine
// ran on before.  For the same reason the workers never assign errno
// themselves (`errno = 0;` after a park could store into another thread's
// errno, and ThreadSanitizer reports two goroutines that take turns on a
// thread writing its errno as a race): they touch it only through failing
// plain system calls, which set it on the current thread, and read it only
// through np_errno().
// gort-test: env=GOMAXPROCS=2
// gort-test: labels=lto
// gort-test: timeout=60
#include "np.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>

#define WORKERS 4
#define SPINNERS 2
#define MIN_ROUNDS 50                /* per worker, before the test may stop */
#define WANT_MIGRATED 20             /* parking reads that resumed on another thread */
#define BUDGET MS(5000)
#define BUDGET_NONE_MIGRATED MS(20000)

enum { K_TIMEOUT, K_CANCEL, K_CONNECT, K_EPIPE, K_EBADF_READ, K_EBADF_WAIT, K_EPERM, K_COUNT };
static const char *const kind_name[K_COUNT] = {
    "read, timed out", "read, canceled", "connect, refused", "write, peer closed",
    "read, closed fd", "fd_wait, closed fd", "fd_wait, regular file",
};

static _Atomic long calls[K_COUNT], migrated[K_COUNT];
static _Atomic long rounds[WORKERS];
static _Atomic long canceled_in_call;        /* cancels that found the read inside gort_read */
static _Atomic int stop;
static gort_waitgroup wg;

static bool have_inet;
static struct sockaddr_in refused;           /* 127.0.0.1:port, bound, not listening */
static int holder = -1;                      /* the socket bound to that port */
static int closed_fd = -1;                   /* a descriptor number that is not open */
static int file_fd = -1;                     /* a regular file */

typedef struct worker {
    int id;
    int sv[2];                               /* sv[0]: nobody writes to it */
    int gone;                                /* a socket whose peer has closed */
} worker;

static worker workers[WORKERS];

static void record(int kind, long before, long after)
{
    atomic_fetch_add(&calls[kind], 1);
    if (before != after) atomic_fetch_add(&migrated[kind], 1);
}

/* A failing plain system call: errno is set, on the current thread, to
 * something other than what the gort call that follows must return. */
static void touch_errno(const worker *w)
{
    CHECK(lseek(w->sv[0], 0, SEEK_CUR) == -1);
    int e = np_errno();
    CHECK_MSG(e == ESPIPE, "lseek on a socket: errno %d (%s); want ESPIPE", e, strerror(e));
}

struct cancel_job {
    gort_ctx *ctx;
    _Atomic int state;                       /* 1: the reader is in gort_read; 2: it returned */
    gort_waitgroup done;
};

static void cancel_soon(void *arg)
{
    struct cancel_job *j = (struct cancel_job *)arg;
    gort_sleep(MS(1));
    if (atomic_load(&j->state) == 1) atomic_fetch_add(&canceled_in_call, 1);
    gort_ctx_cancel(j->ctx);
    gort_wg_done(&j->done);
}

#define EXPECT_RESULT(r, want, what, before, after)                                                       \
    CHECK_MSG((r) == (want), "worker %d: %s returned %lld (%s); want %s (%d), called on thread %ld, "     \
              "returned on %ld", w->id, what, (long long)(r), np_strerror(r), #want, (want), before, after)

static void run_worker(void *arg)
{
    worker *w = (worker *)arg;
    char buf[16];
    while (!atomic_load(&stop)) {
        long before, after;

        /* a read whose ctx times out while it is parked */
        gort_ctx *t = gort_ctx_with_timeout(gort_ctx_background(), MS(1));
        touch_errno(w);
        before = gettid_();
        ssize_t r = gort_read(w->sv[0], buf, sizeof buf, t);
        after = gettid_();
        EXPECT_RESULT(r, -ETIMEDOUT, "gort_read with a 1 ms timeout", before, after);
        record(K_TIMEOUT, before, after);
        gort_ctx_unref(t);

        /* a read that another goroutine cancels while it is parked */
        struct cancel_job j = { .ctx = gort_ctx_with_cancel(gort_ctx_background()) };
        gort_wg_add(&j.done, 1);
        go(cancel_soon, &j);
        touch_errno(w);
        atomic_store(&j.state, 1);
        before = gettid_();
        r = gort_read(w->sv[0], buf, sizeof buf, j.ctx);
        after = gettid_();
        atomic_store(&j.state, 2);
        EXPECT_RESULT(r, -ECANCELED, "gort_read canceled after 1 ms", before, after);
        record(K_CANCEL, before, after);
        gort_wg_wait(&j.done);
        gort_ctx_unref(j.ctx);

        /* connect to a port nobody listens on */
        if (have_inet) {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            CHECK_MSG(fd >= 0, "socket(AF_INET): %s", strerror(np_errno()));
            touch_errno(w);
            before = gettid_();
            int c = gort_connect(fd, (const struct sockaddr *)&refused, sizeof refused, NULL);
            after = gettid_();
            EXPECT_RESULT(c, -ECONNREFUSED, "gort_connect to a port nobody listens on", before, after);
            record(K_CONNECT, before, after);
            CHECK_EQ_INT(close(fd), 0);
        }

        /* write to a socket whose peer has closed */
        touch_errno(w);
        before = gettid_();
        r = gort_write(w->gone, "x", 1, NULL);
        after = gettid_();
        EXPECT_RESULT(r, -EPIPE, "gort_write to a socket whose peer closed", before, after);
        record(K_EPIPE, before, after);

        /* a descriptor that is not open */
        touch_errno(w);
        before = gettid_();
        r = gort_read(closed_fd, buf, sizeof buf, NULL);
        after = gettid_();
        EXPECT_RESULT(r, -EBADF, "gort_read on a closed descriptor", before, after);
        record(K_EBADF_READ, before, after);

        touch_errno(w);
        before = gettid_();
        int e = gort_fd_wait(closed_fd, POLLIN, NULL);
        after = gettid_();
        EXPECT_RESULT(e, -EBADF, "gort_fd_wait on a closed descriptor", before, after);
        record(K_EBADF_WAIT, before, after);

        /* a regular file: epoll cannot watch it */
        touch_errno(w);
        before = gettid_();
        e = gort_fd_wait(file_fd, POLLIN, NULL);
        after = gettid_();
        EXPECT_RESULT(e, -EPERM, "gort_fd_wait on a regular file", before, after);
        record(K_EPERM, before, after);

        atomic_fetch_add(&rounds[w->id], 1);
    }
    gort_wg_done(&wg);
}

/* Keeps a P busy in bursts: 0.5 ms of gort_yield loops, then 0.5 ms asleep.
 * A worker woken meanwhile waits behind the spinner on the P where it was
 * readied, and a P that falls idle steals it, so workers move between the
 * Ps and so between threads.  (Ps busy without a pause would make that
 * rare: no P is ever idle to steal; on this 2-CPU VM the reads then resumed
 * on another thread about once in 1,000 calls, against 60-100% with the
 * pauses.) */
static void spin(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        int64_t end = now_ns() + US(500);
        while (now_ns() < end) {
            spin_ns(US(20));
            gort_yield();
        }
        gort_sleep(US(500));
    }
    gort_wg_done(&wg);
}

static long min_rounds(void)
{
    long m = atomic_load(&rounds[0]);
    for (int i = 1; i < WORKERS; i++)
        if (atomic_load(&rounds[i]) < m) m = atomic_load(&rounds[i]);
    return m;
}

static long parking_migrated(void) { return atomic_load(&migrated[K_TIMEOUT]) + atomic_load(&migrated[K_CANCEL]); }

static void setup(void)
{
    CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);

    holder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (holder >= 0) {
        memset(&refused, 0, sizeof refused);
        refused.sin_family = AF_INET;
        refused.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t alen = sizeof refused;
        if (bind(holder, (struct sockaddr *)&refused, sizeof refused) == 0 &&
            getsockname(holder, (struct sockaddr *)&refused, &alen) == 0 && refused.sin_port != 0)
            have_inet = true;               /* holder stays open: the port stays ours */
        else
            NOTE("cannot bind 127.0.0.1:0 (%s): the connect part is left out\n", strerror(np_errno()));
        if (!have_inet) CHECK_EQ_INT(close(holder), 0);
    } else {
        NOTE("no AF_INET sockets here (%s): the connect part is left out\n", strerror(np_errno()));
    }

    char path[] = "/tmp/gort-errors-XXXXXX";
    file_fd = mkstemp(path);
    CHECK_MSG(file_fd >= 0, "mkstemp: %s", strerror(np_errno()));
    CHECK_EQ_INT(unlink(path), 0);

    /* A number well above what this test opens (the kernel hands out the
     * lowest free ones), opened and closed again: nothing reuses it. */
    closed_fd = fcntl(file_fd, F_DUPFD_CLOEXEC, 200);
    CHECK_MSG(closed_fd >= 200, "fcntl(F_DUPFD, 200): %s", strerror(np_errno()));
    CHECK_EQ_INT(close(closed_fd), 0);

    for (int i = 0; i < WORKERS; i++) {
        worker *w = &workers[i];
        w->id = i;
        np_socketpair(w->sv);
        int p[2];
        np_socketpair(p);
        CHECK_EQ_INT(close(p[1]), 0);
        w->gone = p[0];
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    setup();

    int64_t t0 = now_ns();
    gort_wg_add(&wg, WORKERS + SPINNERS);
    for (int i = 0; i < SPINNERS; i++) go(spin, NULL);
    for (int i = 0; i < WORKERS; i++) go(run_worker, &workers[i]);
    for (;;) {
        gort_sleep(MS(10));
        int64_t so_far = now_ns() - t0;
        long m = parking_migrated();
        if (m >= WANT_MIGRATED && min_rounds() >= MIN_ROUNDS) break;
        if (so_far >= BUDGET && (m > 0 || so_far >= BUDGET_NONE_MIGRATED)) break;
    }
    atomic_store(&stop, 1);
    gort_wg_wait(&wg);
    int64_t took = now_ns() - t0;

    long total = 0, moved = 0;
    for (int k = 0; k < K_COUNT; k++) {
        long c = atomic_load(&calls[k]), m = atomic_load(&migrated[k]);
        total += c;
        moved += m;
        if (c > 0) NOTE("%-22s %6ld calls, %5ld resumed on another thread (%.1f%%)\n", kind_name[k], c, m,
                        100.0 * (double)m / (double)c);
    }
    NOTE("%ld calls in %lld ms, %ld rounds at least per worker, every one returned its negative errno; "
         "%ld resumed on another thread; %ld of %ld cancels came while the read was in gort_read\n",
         total, (long long)(took / 1000000), min_rounds(), moved, atomic_load(&canceled_in_call),
         atomic_load(&calls[K_CANCEL]));
    CHECK_MSG(parking_migrated() > 0,
              "none of the %ld parking reads resumed on another OS thread in %lld ms (GOMAXPROCS=2): no "
              "migration happened, so the errors were never checked across one",
              atomic_load(&calls[K_TIMEOUT]) + atomic_load(&calls[K_CANCEL]), (long long)(took / 1000000));
    CHECK_MSG(atomic_load(&canceled_in_call) > 0, "none of the %ld cancels came while the read was in gort_read",
              atomic_load(&calls[K_CANCEL]));

    for (int i = 0; i < WORKERS; i++) {
        CHECK_EQ_INT(close(workers[i].sv[0]), 0);
        CHECK_EQ_INT(close(workers[i].sv[1]), 0);
        CHECK_EQ_INT(close(workers[i].gone), 0);
    }
    CHECK_EQ_INT(close(file_fd), 0);
    if (have_inet) CHECK_EQ_INT(close(holder), 0);
    return 0;
}

GORT_MAIN(main_fn)
