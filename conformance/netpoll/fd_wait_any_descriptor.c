// gort_fd_wait works on any descriptor, blocking or not, and only waits:
//  - on a pipe created blocking, POLLOUT on the empty pipe's write end
//    returns 0 at once (< 500 ms);
//  - POLLIN on its read end parks until another goroutine writes 30 ms
//    later, then returns 0 (not before the write, < 1 s after it); the
//    byte is still there for read(2) (fd_wait consumes nothing); "parks":
//    the writer sees it in `[IO wait]` in gort_dump just before it writes
//    (a poll(2) that blocks the thread would do for the rest);
//  - POLLIN on a fresh socketpair end that already has data returns 0 at
//    once (readiness that predates the first wait is not lost);
//  - the same POLLIN park-and-wake on an O_NONBLOCK socketpair end.
// gort-test: env=GOMAXPROCS=2
#include "np.h"

static gort_waitgroup wg;
static _Atomic int64_t wrote_at;
static _Atomic int parked_seen;


static void write_later(void *arg)
{
    int fd = (int)(intptr_t)arg;
    gort_sleep(MS(30));
    atomic_store(&parked_seen, np_count_io_wait());
    atomic_store(&wrote_at, gort_now());
    CHECK_EQ_INT(write(fd, "d", 1), 1);
    gort_wg_done(&wg);
}

static void park_and_wake(int rfd, int wfd, const char *what)
{
    atomic_store(&wrote_at, 0);
    gort_wg_add(&wg, 1);
    go(write_later, (void *)(intptr_t)wfd);
    int r = gort_fd_wait(rfd, POLLIN, NULL);
    int64_t back = gort_now();
    int64_t at = atomic_load(&wrote_at);
    CHECK_MSG(r == 0, "%s: gort_fd_wait(POLLIN) returned %d", what, r);
    CHECK_MSG(at != 0 && back >= at, "%s: gort_fd_wait(POLLIN) returned before the write", what);
    CHECK_MSG(back - at < MS(1000), "%s: woke %lld ms after the write", what, (long long)((back - at) / 1000000));
    gort_wg_wait(&wg);
    CHECK_MSG(atomic_load(&parked_seen) == 1, "%s: %d goroutines in [IO wait] before the write; want the waiter",
              what, atomic_load(&parked_seen));
    char c = 0;
    CHECK_EQ_INT(read(rfd, &c, 1), 1);
    CHECK_EQ_INT(c, 'd');
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int p[2];
    CHECK_EQ_INT(pipe2(p, O_CLOEXEC), 0);
    CHECK(!np_is_nonblocking(p[0]) && !np_is_nonblocking(p[1]));

    int64_t t0 = gort_now();
    CHECK_EQ_INT(gort_fd_wait(p[1], POLLOUT, NULL), 0);
    CHECK_MSG(gort_now() - t0 < MS(500), "POLLOUT on an empty pipe took %lld ms",
              (long long)((gort_now() - t0) / 1000000));

    park_and_wake(p[0], p[1], "blocking pipe");

    int sv[2];
    np_socketpair(sv);
    CHECK_EQ_INT(write(sv[1], "d", 1), 1);
    t0 = gort_now();
    CHECK_EQ_INT(gort_fd_wait(sv[0], POLLIN, NULL), 0);
    CHECK_MSG(gort_now() - t0 < MS(500), "POLLIN with data already there took %lld ms",
              (long long)((gort_now() - t0) / 1000000));
    char c = 0;
    CHECK_EQ_INT(read(sv[0], &c, 1), 1);

    int sv2[2];
    np_socketpair(sv2);
    np_set_nonblocking(sv2[0]);
    park_and_wake(sv2[0], sv2[1], "non-blocking socket");

    close(p[0]); close(p[1]);
    close(sv[0]); close(sv[1]);
    close(sv2[0]); close(sv2[1]);
    return 0;
}

GORT_MAIN(main_fn)
