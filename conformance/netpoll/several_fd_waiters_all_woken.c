// Several goroutines may gort_fd_wait on one descriptor in the same
// direction, and readiness wakes every one of them (gort_fd_wait consumes
// nothing): 16 goroutines gort_fd_wait(POLLIN) on one socket, each with a
// 10 s timeout ctx; once all 16 are parked (`[IO wait]` in gort_dump) one
// write(2) of 1 byte makes each return 0 (none GORT_DEADLINE_EXCEEDED).
// The byte is still there afterwards.  Then the same for POLLOUT: 16
// waiters on a socket whose send buffer is full all return 0 once the peer
// drains it.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "np.h"

#define N 16

/* generous bounds for waiting on parking (Valgrind: 10 times) */
#define SLOW(ms) (CHECK_VALGRIND ? MS(ms) * 10 : MS(ms))

static gort_chan *results;
struct waiter_arg { int fd; short ev; gort_ctx *ctx; };

static void waiter(void *arg)
{
    struct waiter_arg *a = (struct waiter_arg *)arg;
    int r = gort_fd_wait(a->fd, a->ev, a->ctx);
    gort_chan_send(results, &r);
}

static void all_woken(int fd, short ev, int peer, size_t drain, const char *what)
{
    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), SLOW(10000));
    struct waiter_arg a = { fd, ev, ctx };
    for (int i = 0; i < N; i++) go(waiter, &a);
    int parked = np_wait_io_waiters(N, SLOW(5000));
    CHECK_MSG(parked == N, "%s: %d of %d waiters parked in gort_fd_wait", what, parked, N);
    if (ev == POLLIN) {
        CHECK_EQ_INT(write(peer, "!", 1), 1);
    } else {
        static char buf[65536];
        size_t got = 0;
        while (got < drain) {
            ssize_t r = read(peer, buf, sizeof buf);
            CHECK_MSG(r > 0, "%s: draining the peer: read returned %zd", what, r);
            got += (size_t)r;
        }
    }
    int zeros = 0;
    for (int i = 0; i < N; i++) {
        int r = -100;
        CHECK(gort_chan_recv(results, &r));
        CHECK_MSG(r == 0, "%s: a waiter's gort_fd_wait returned %d after %d others returned 0 (want 0 for all %d)",
                  what, r, zeros, N);
        zeros++;
    }
    gort_ctx_unref(ctx);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    results = gort_chan_make(sizeof(int), N);
    int sv[2];
    np_socketpair(sv);
    all_woken(sv[0], POLLIN, sv[1], 0, "POLLIN");
    char c = 0;
    CHECK_EQ_INT(read(sv[0], &c, 1), 1);          /* fd_wait consumed nothing */
    CHECK_EQ_INT(c, '!');

    int sw[2];
    np_socketpair(sw);
    size_t filled = np_fill(sw[0]);
    CHECK_GT_INT(filled, 0);
    all_woken(sw[0], POLLOUT, sw[1], filled, "POLLOUT");

    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    close(sv[0]); close(sv[1]); close(sw[0]); close(sw[1]);
    gort_chan_unref(results);
    return 0;
}

GORT_MAIN(main_fn)
