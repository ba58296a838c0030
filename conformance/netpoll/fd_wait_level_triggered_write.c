// What the caller sees is level-triggered, for writing too: on a writable
// socket, gort_fd_wait(POLLOUT) returns 0 at once 100 times in a row (each
// under its own 2 s timeout ctx: a runtime that waits for a new edge returns
// GORT_DEADLINE_EXCEEDED after 2 s on the second).  Once the send buffer is
// full (np_fill) a wait with a 100 ms ctx returns GORT_DEADLINE_EXCEEDED;
// a wait parked while the peer drains the buffer (30 ms later, another
// goroutine) returns 0; and then the socket is writable again, level: 10
// more waits return 0 at once.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "np.h"

static gort_waitgroup wg;
static int sv[2];
static size_t filled;

static int timed_wait(int fd, int64_t ns, int64_t *took)
{
    int64_t t0 = gort_now();   /* before the ctx: its timeout counts from its making */
    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), ns);
    int r = gort_fd_wait(fd, POLLOUT, ctx);
    *took = gort_now() - t0;
    gort_ctx_unref(ctx);
    return r;
}

static void writable_n(int n, const char *when)
{
    int64_t took;
    for (int i = 0; i < n; i++) {
        int r = timed_wait(sv[0], MS(2000), &took);
        CHECK_MSG(r == 0, "%s: gort_fd_wait(POLLOUT) #%d on a writable socket returned %d after %lld ms; want 0 at once",
                  when, i + 1, r, (long long)(took / 1000000));
        CHECK_MSG(took < MS(1000) || CHECK_VALGRIND, "%s: gort_fd_wait(POLLOUT) #%d returned after %lld ms, want 0 at once",
                  when, i + 1, (long long)(took / 1000000));
    }
}

static void drain_later(void *arg)
{
    (void)arg;
    gort_sleep(MS(30));
    static char buf[65536];
    size_t got = 0;
    while (got < filled) {
        ssize_t r = read(sv[1], buf, sizeof buf);
        CHECK_MSG(r > 0, "draining: read returned %zd", r);
        got += (size_t)r;
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    np_socketpair(sv);
    writable_n(100, "fresh socket");

    filled = np_fill(sv[0]);
    CHECK_GT_INT(filled, 0);
    int64_t took;
    int r = timed_wait(sv[0], MS(100), &took);
    CHECK_MSG(r == GORT_DEADLINE_EXCEEDED, "gort_fd_wait(POLLOUT) on a full socket returned %d after %lld ms; want %d",
              r, (long long)(took / 1000000), GORT_DEADLINE_EXCEEDED);
    CHECK_MSG(took >= MS(100), "the 100 ms wait ended after %lld ms", (long long)(took / 1000000));

    gort_wg_add(&wg, 1);
    go(drain_later, NULL);
    r = timed_wait(sv[0], MS(5000), &took);
    CHECK_MSG(r == 0, "gort_fd_wait(POLLOUT) while the peer drains returned %d after %lld ms", r,
              (long long)(took / 1000000));
    gort_wg_wait(&wg);
    writable_n(10, "after the drain");
    close(sv[0]);
    close(sv[1]);
    return 0;
}

GORT_MAIN(main_fn)
