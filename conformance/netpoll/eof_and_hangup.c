// The peer closing its end wakes parked goroutines with POSIX's answers:
//  - a goroutine parked in gort_read on a socketpair end, or on a pipe's
//    read end, returns 0 (EOF) when the peer closes (>= 40 ms after it
//    parked, < 1 s after the close), and 0 again on the next call;
//    "parked": gort_dump shows it in `[IO wait]` just before the close, so
//    it is the poller that sees the hangup (not a read(2) that blocks);
//  - gort_write to a socket whose peer is closed, or to a pipe whose read
//    end is closed, returns -EPIPE at once;
//  - a goroutine parked in gort_write (4 MiB into a 32 KiB send buffer
//    nobody reads) returns -EPIPE or -ECONNRESET when the peer closes
//    (Linux reports ECONNRESET when the closing end had unread data), < 1 s
//    after the close.
// SIGPIPE: gort_write does not change its disposition (the runtime leaves
// signal handling to the program); this test ignores SIGPIPE, as a program
// that wants -EPIPE must (Go ignores it for descriptors other than 1 and 2).
// gort-test: env=GOMAXPROCS=2
#include "np.h"

#include <signal.h>

static gort_waitgroup in, fin;
static _Atomic ssize_t result;
static _Atomic int64_t returned_at;
static int target;
static unsigned char *big;

#define BIG (4u << 20)

static void read_one(void *arg)
{
    (void)arg;
    char c;
    gort_wg_done(&in);
    ssize_t r = gort_read(target, &c, 1, NULL);
    atomic_store(&returned_at, gort_now());
    atomic_store(&result, r);
    gort_wg_done(&fin);
}

static void write_big(void *arg)
{
    (void)arg;
    gort_wg_done(&in);
    ssize_t r = gort_write(target, big, BIG, NULL);
    atomic_store(&returned_at, gort_now());
    atomic_store(&result, r);
    gort_wg_done(&fin);
}

/* Parks fn on fd, closes peer 50 ms later; returns fn's I/O call's result. */
static ssize_t park_then_close(void (*fn)(void *), int fd, int peer, const char *what)
{
    target = fd;
    atomic_store(&returned_at, 0);
    gort_wg_add(&in, 1);
    gort_wg_add(&fin, 1);
    go(fn, NULL);
    gort_wg_wait(&in);
    int64_t t0 = gort_now();
    gort_sleep(MS(50));
    CHECK_MSG(atomic_load(&returned_at) == 0, "%s returned %zd (%s) before the peer closed", what,
              atomic_load(&result), np_strerror(atomic_load(&result)));
    int parked = np_count_io_wait();
    CHECK_MSG(parked == 1, "%s: %d goroutines in [IO wait] before the close; want 1", what, parked);
    int64_t t_close = gort_now();
    CHECK_EQ_INT(close(peer), 0);
    gort_wg_wait(&fin);
    int64_t back = atomic_load(&returned_at);
    CHECK_MSG(back - t0 >= MS(40), "%s returned %lld us after it parked", what, (long long)((back - t0) / 1000));
    CHECK_MSG(back - t_close < MS(1000), "%s returned %lld ms after the peer closed", what,
              (long long)((back - t_close) / 1000000));
    return atomic_load(&result);
}

static void expect_epipe_now(int fd, const char *what)
{
    ssize_t r = gort_write(fd, "x", 1, NULL);
    CHECK_MSG(r == -EPIPE, "%s: gort_write returned %zd (%s); want -EPIPE", what, r, np_strerror(r));
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
    char c;

    /* socketpair: parked reader gets EOF, then EOF again; writing gets -EPIPE */
    int sv[2];
    np_socketpair(sv);
    ssize_t r = park_then_close(read_one, sv[0], sv[1], "gort_read on a socket");
    CHECK_MSG(r == 0, "gort_read on a socket whose peer closed returned %zd (%s); want 0 (EOF)", r,
              np_strerror(r));
    CHECK_EQ_INT(gort_read(sv[0], &c, 1, NULL), 0);
    expect_epipe_now(sv[0], "socket with a closed peer");
    CHECK_EQ_INT(close(sv[0]), 0);

    /* pipe: the same */
    int p[2];
    CHECK_EQ_INT(pipe2(p, O_CLOEXEC), 0);
    r = park_then_close(read_one, p[0], p[1], "gort_read on a pipe");
    CHECK_MSG(r == 0, "gort_read on a pipe whose write end closed returned %zd (%s); want 0 (EOF)", r,
              np_strerror(r));
    CHECK_EQ_INT(gort_read(p[0], &c, 1, NULL), 0);
    CHECK_EQ_INT(close(p[0]), 0);
    CHECK_EQ_INT(pipe2(p, O_CLOEXEC), 0);
    CHECK_EQ_INT(close(p[0]), 0);
    expect_epipe_now(p[1], "pipe with a closed read end");
    CHECK_EQ_INT(close(p[1]), 0);

    /* a parked writer is woken by the hangup */
    big = (unsigned char *)calloc(1, BIG);
    CHECK(big != NULL);
    np_socketpair(sv);
    int small = 32 * 1024;
    CHECK_EQ_INT(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    r = park_then_close(write_big, sv[0], sv[1], "gort_write of 4 MiB");
    CHECK_MSG(r == -EPIPE || r == -ECONNRESET,
              "parked gort_write whose peer closed returned %zd (%s); want -EPIPE or -ECONNRESET", r,
              np_strerror(r));
    CHECK_EQ_INT(close(sv[0]), 0);
    free(big);
    return 0;
}

GORT_MAIN(main_fn)
