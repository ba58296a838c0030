// gort_fd_wait returns the ctx's error code when the ctx ends before the
// descriptor is ready:
//  - GORT_DEADLINE_EXCEEDED (2) for a 30 ms timeout on a POLLIN wait that
//    nobody satisfies (after 30 ms, never early, to 1 s), and the same for a POLLOUT wait
//    on a socket whose send buffer is full;
//  - GORT_CANCELED (1) when another goroutine cancels the ctx 50 ms into a
//    POLLIN wait (after the cancel, within 500 ms), and likewise for POLLOUT;
//  - the ctx's code at once (< 500 ms) when the ctx has already ended
//    (canceled: 1; deadline in the past: 2).
// Afterwards gort_fd_wait with ctx NULL returns 0 once the descriptor is
// ready (data written / the peer drained the buffer).
// gort-test: env=GOMAXPROCS=2
#include "np.h"

static int rd[2];      /* rd[0]: nobody writes to it (until the end) */
static int wr[2];      /* wr[0]: its send buffer is full (until the end) */
static gort_waitgroup wg;

struct canceler { gort_ctx *ctx; int64_t at; };

static void cancel_later(void *arg)
{
    struct canceler *c = (struct canceler *)arg;
    gort_sleep(MS(50));
    c->at = gort_now();
    gort_ctx_cancel(c->ctx);
    gort_wg_done(&wg);
}

static void expect_timeout(int fd, short ev, const char *what)
{
    int64_t t0 = gort_now();   /* before the ctx: its timeout counts from its making */
    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(30));
    int r = gort_fd_wait(fd, ev, ctx);
    int64_t took = gort_now() - t0;
    CHECK_MSG(r == GORT_DEADLINE_EXCEEDED, "%s with a 30 ms timeout returned %d; want %d", what, r,
              GORT_DEADLINE_EXCEEDED);
    CHECK_MSG(took >= MS(30) && took < MS(1000), "%s: the 30 ms timeout took %lld us", what,
              (long long)(took / 1000));
    gort_ctx_unref(ctx);
}

static void expect_cancel(int fd, short ev, const char *what)
{
    struct canceler c = { gort_ctx_with_cancel(gort_ctx_background()), 0 };
    gort_wg_add(&wg, 1);
    go(cancel_later, &c);
    int r = gort_fd_wait(fd, ev, c.ctx);
    int64_t back = gort_now();
    gort_wg_wait(&wg);                       /* c.at is set */
    CHECK_MSG(r == GORT_CANCELED, "%s canceled after 50 ms returned %d; want %d", what, r, GORT_CANCELED);
    CHECK_MSG(back >= c.at, "%s returned before the cancel", what);
    CHECK_MSG(back - c.at < MS(500), "%s returned %lld ms after the cancel", what,
              (long long)((back - c.at) / 1000000));
    gort_ctx_unref(c.ctx);
}

static void expect_already_ended(int fd, short ev, const char *what)
{
    gort_ctx *c = gort_ctx_with_cancel(gort_ctx_background());
    gort_ctx_cancel(c);
    int64_t t0 = gort_now();
    int r = gort_fd_wait(fd, ev, c);
    CHECK_MSG(r == GORT_CANCELED, "%s with a canceled ctx returned %d", what, r);
    CHECK_MSG(gort_now() - t0 < MS(500), "%s with a canceled ctx took %lld ms", what,
              (long long)((gort_now() - t0) / 1000000));
    gort_ctx_unref(c);

    gort_ctx *d = gort_ctx_with_deadline(gort_ctx_background(), gort_now() - MS(1));
    t0 = gort_now();
    r = gort_fd_wait(fd, ev, d);
    CHECK_MSG(r == GORT_DEADLINE_EXCEEDED, "%s with a past deadline returned %d", what, r);
    CHECK_MSG(gort_now() - t0 < MS(500), "%s with a past deadline took %lld ms", what,
              (long long)((gort_now() - t0) / 1000000));
    gort_ctx_unref(d);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    np_socketpair(rd);
    np_socketpair(wr);
    size_t filled = np_fill(wr[0]);
    CHECK_GT_INT(filled, 0);

    expect_timeout(rd[0], POLLIN, "fd_wait(POLLIN)");
    expect_timeout(wr[0], POLLOUT, "fd_wait(POLLOUT) on a full socket");
    expect_cancel(rd[0], POLLIN, "fd_wait(POLLIN)");
    expect_cancel(wr[0], POLLOUT, "fd_wait(POLLOUT) on a full socket");
    expect_already_ended(rd[0], POLLIN, "fd_wait(POLLIN)");
    expect_already_ended(wr[0], POLLOUT, "fd_wait(POLLOUT) on a full socket");

    /* readiness still reported after all those ended waits */
    CHECK_EQ_INT(write(rd[1], "r", 1), 1);
    CHECK_EQ_INT(gort_fd_wait(rd[0], POLLIN, NULL), 0);
    char c = 0;
    CHECK_EQ_INT(read(rd[0], &c, 1), 1);
    CHECK_EQ_INT(c, 'r');

    static char sink[1 << 16];
    size_t drained = 0;
    while (drained < filled) {
        ssize_t r = read(wr[1], sink, sizeof sink);
        CHECK_GT_INT(r, 0);
        drained += (size_t)r;
    }
    CHECK_EQ_INT(gort_fd_wait(wr[0], POLLOUT, NULL), 0);
    return 0;
}

GORT_MAIN(main_fn)
