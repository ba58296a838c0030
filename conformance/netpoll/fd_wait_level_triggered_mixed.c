// Level-triggered across goroutines and calls: readiness consumed by one
// goroutine's wait does not hide what is still there from another's.
//   1. Socket with 5 bytes: goroutine A's gort_fd_wait(POLLIN) returns 0;
//      then goroutine B's gort_read gets the 5 bytes at once.
//   2. Goroutine A parks in gort_read(1 byte) on an empty socket; one
//      write(2) of 2 bytes wakes it (it gets 1); then goroutine B's
//      gort_fd_wait(POLLIN) returns 0 at once for the byte left over (no
//      new edge came since the one A consumed), and B reads it.
//   3. Two clients connect to an AF_UNIX listener; goroutine A's
//      gort_fd_wait(POLLIN) on it returns 0 and A accepts one connection
//      (accept(2)); then goroutine B's gort_fd_wait(POLLIN) on the listener
//      returns 0 at once for the second pending connection, and B's
//      gort_accept gets it.
// Every wait has its own 2 s timeout ctx: a runtime that waits for a new
// edge returns GORT_DEADLINE_EXCEEDED (2) after 2 s instead of 0.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "np.h"

#include <sys/un.h>

static const char *rs(ssize_t r) { return r < 0 ? strerror((int)-r) : "no error"; }

static gort_chan *step;     /* A -> main: A is done with its part */

static void send_step(void) { int one = 1; gort_chan_send(step, &one); }
static void recv_step(void) { int v = 0; CHECK(gort_chan_recv(step, &v)); }

static int fd_wait_2s(int fd, int64_t *took)
{
    int64_t t0 = gort_now();   /* before the ctx: its timeout counts from its making */
    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(2000));
    int r = gort_fd_wait(fd, POLLIN, ctx);
    *took = gort_now() - t0;
    gort_ctx_unref(ctx);
    return r;
}

/* gort_fd_wait(fd, POLLIN) under a 2 s timeout ctx returns 0 at once. */
static void expect_ready_at_once(int fd, const char *what)
{
    int64_t took;
    int r = fd_wait_2s(fd, &took);
    CHECK_MSG(r == 0, "%s returned %d after %lld ms; want 0 at once", what, r, (long long)(took / 1000000));
    CHECK_MSG(took < MS(1000) || CHECK_VALGRIND, "%s returned after %lld ms, want 0 at once", what,
              (long long)(took / 1000000));
}

/* ---- 1 ---- */
static int sv1[2];
static void a1(void *arg)
{
    (void)arg;
    expect_ready_at_once(sv1[0], "1: A's gort_fd_wait(POLLIN) on 5 unread bytes");
    send_step();
}
static void b1(void *arg)
{
    (void)arg;
    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(2000));
    char buf[16];
    int64_t t0 = gort_now();
    ssize_t r = gort_read(sv1[0], buf, sizeof buf, ctx);
    int64_t took = gort_now() - t0;
    CHECK_MSG(r == 5, "1: B's gort_read returned %zd (%s) after %lld ms; want the 5 bytes at once", r, rs(r),
              (long long)(took / 1000000));
    gort_ctx_unref(ctx);
    send_step();
}

/* ---- 2 ---- */
static int sv2[2];
static void a2(void *arg)
{
    (void)arg;
    char c = 0;
    ssize_t r = gort_read(sv2[0], &c, 1, NULL);
    CHECK_MSG(r == 1 && c == 'p', "2: A's gort_read returned %zd (%s), byte %d", r, rs(r), c);
    send_step();
}
static void b2(void *arg)
{
    (void)arg;
    expect_ready_at_once(sv2[0], "2: B's gort_fd_wait(POLLIN) on the byte A left");
    char c = 0;
    CHECK_EQ_INT(read(sv2[0], &c, 1), 1);
    CHECK_EQ_INT(c, 'q');
    send_step();
}

/* ---- 3 ---- */
static int lfd;
static void a3(void *arg)
{
    (void)arg;
    expect_ready_at_once(lfd, "3: A's gort_fd_wait(POLLIN) on a listener with 2 pending connections");
    int fd = accept(lfd, NULL, NULL);
    CHECK_MSG(fd >= 0, "3: A's accept(2): %s", strerror(np_errno()));
    close(fd);
    send_step();
}
static void b3(void *arg)
{
    (void)arg;
    expect_ready_at_once(lfd, "3: B's gort_fd_wait(POLLIN) on a listener with a pending connection");
    int fd = gort_accept(lfd, NULL, NULL, NULL);
    CHECK_MSG(fd >= 0, "3: B's gort_accept returned %d (%s)", fd, rs(fd));
    close(fd);
    send_step();
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    step = gort_chan_make(sizeof(int), 0);

    np_socketpair(sv1);
    CHECK_EQ_INT(write(sv1[1], "hello", 5), 5);
    go(a1, NULL);
    recv_step();
    go(b1, NULL);
    recv_step();

    np_socketpair(sv2);
    go(a2, NULL);
    CHECK_EQ_INT(np_wait_io_waiters(1, CHECK_VALGRIND ? MS(50000) : MS(5000)), 1);       /* A is parked */
    CHECK_EQ_INT(write(sv2[1], "pq", 2), 2);
    recv_step();
    go(b2, NULL);
    recv_step();

    lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(lfd >= 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    CHECK_EQ_INT(bind(lfd, (struct sockaddr *)&a, sizeof(sa_family_t)), 0);   /* autobind */
    CHECK_EQ_INT(listen(lfd, 8), 0);
    socklen_t alen = sizeof a;
    CHECK_EQ_INT(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
    int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(c1 >= 0 && c2 >= 0);
    CHECK_EQ_INT(connect(c1, (struct sockaddr *)&a, alen), 0);
    CHECK_EQ_INT(connect(c2, (struct sockaddr *)&a, alen), 0);
    go(a3, NULL);
    recv_step();
    go(b3, NULL);
    recv_step();

    close(c1); close(c2); close(lfd);
    close(sv1[0]); close(sv1[1]); close(sv2[0]); close(sv2[1]);
    gort_chan_unref(step);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    return 0;
}

GORT_MAIN(main_fn)
