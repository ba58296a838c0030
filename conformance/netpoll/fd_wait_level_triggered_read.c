// What the caller sees is level-triggered: a descriptor that is readable
// when gort_fd_wait(POLLIN) starts is reported at once, whether or not an
// edge was already consumed by an earlier wait.  For a socketpair and for a
// pipe: 100 bytes are written before a goroutine starts; it then loops
//   gort_fd_wait(POLLIN) -> 0 at once; gort_read 10 bytes -> 10
// until all 100 are read (10 waits: the second and later ones find data
// left over from a short read, with no new edge since the first).  Each wait
// has its own 2 s timeout ctx, so a runtime that waits for a new edge
// returns GORT_DEADLINE_EXCEEDED (2) after 2 s instead of 0.  Then, with
// nothing left, a wait with a 100 ms ctx returns GORT_DEADLINE_EXCEEDED (not
// ready any more, no stale readiness), and new data written 30 ms into a
// fresh wait by another goroutine wakes it (0).
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "np.h"

static const char *rs(ssize_t r) { return r < 0 ? strerror((int)-r) : "no error"; }

static gort_waitgroup wg, wwg;   /* the reader; the writer */

static void write_later(void *arg)
{
    int fd = (int)(intptr_t)arg;
    gort_sleep(MS(30));
    CHECK_EQ_INT(write(fd, "z", 1), 1);
    gort_wg_done(&wwg);
}

/* gort_fd_wait(fd, POLLIN) under a fresh ctx of `ns`; returns its result,
 * the time it took in *took. */
static int timed_wait(int fd, int64_t ns, int64_t *took)
{
    int64_t t0 = gort_now();   /* before the ctx: its timeout counts from its making */
    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), ns);
    int r = gort_fd_wait(fd, POLLIN, ctx);
    *took = gort_now() - t0;
    gort_ctx_unref(ctx);
    return r;
}

struct job { int rfd, wfd; const char *what; };

static void level_read(void *arg)
{
    struct job *j = (struct job *)arg;
    char buf[10], all[100];
    size_t total = 0;
    int64_t took;
    for (int round = 0; total < sizeof all; round++) {
        int r = timed_wait(j->rfd, MS(2000), &took);
        CHECK_MSG(r == 0, "%s: gort_fd_wait(POLLIN) #%d with %zu of 100 bytes unread returned %d after %lld ms; "
                  "want 0 at once", j->what, round + 1, sizeof all - total, r, (long long)(took / 1000000));
        CHECK_MSG(took < MS(1000) || CHECK_VALGRIND, "%s: gort_fd_wait(POLLIN) #%d returned after %lld ms, want 0 at once",
                  j->what, round + 1, (long long)(took / 1000000));
        ssize_t n = gort_read(j->rfd, buf, sizeof buf, NULL);
        CHECK_MSG(n == (ssize_t)sizeof buf, "%s: gort_read of 10 bytes returned %zd (%s)", j->what, n, rs(n));
        memcpy(all + total, buf, sizeof buf);
        total += sizeof buf;
    }
    for (size_t i = 0; i < sizeof all; i++)
        CHECK_MSG(all[i] == (char)('A' + i % 26), "%s: byte %zu is %d", j->what, i, all[i]);

    /* nothing left: not ready */
    int r = timed_wait(j->rfd, MS(100), &took);
    CHECK_MSG(r == GORT_DEADLINE_EXCEEDED, "%s: gort_fd_wait(POLLIN) with nothing to read returned %d after %lld ms; "
              "want %d (deadline exceeded)", j->what, r, (long long)(took / 1000000), GORT_DEADLINE_EXCEEDED);
    CHECK_MSG(took >= MS(100), "%s: the 100 ms wait ended after %lld ms", j->what, (long long)(took / 1000000));

    /* new data wakes a fresh wait */
    gort_wg_add(&wwg, 1);
    go(write_later, (void *)(intptr_t)j->wfd);
    r = timed_wait(j->rfd, MS(5000), &took);
    CHECK_MSG(r == 0, "%s: gort_fd_wait(POLLIN) for new data returned %d after %lld ms", j->what, r,
              (long long)(took / 1000000));
    gort_wg_wait(&wwg);
    char c = 0;
    CHECK_EQ_INT(gort_read(j->rfd, &c, 1, NULL), 1);
    CHECK_EQ_INT(c, 'z');
    gort_wg_done(&wg);
}

static void run(int rfd, int wfd, const char *what)
{
    char data[100];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (char)('A' + i % 26);
    CHECK_EQ_INT(write(wfd, data, sizeof data), (int)sizeof data);
    struct job j = { rfd, wfd, what };
    gort_wg_add(&wg, 1);
    go(level_read, &j);
    gort_wg_wait(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int sv[2];
    np_socketpair(sv);
    run(sv[0], sv[1], "socketpair");
    int p[2];
    CHECK_EQ_INT(pipe2(p, O_CLOEXEC), 0);
    run(p[0], p[1], "pipe");
    close(sv[0]); close(sv[1]);
    close(p[0]); close(p[1]);
    return 0;
}

GORT_MAIN(main_fn)
