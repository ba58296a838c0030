// Several goroutines may read one descriptor at once, and one edge is passed
// on while data remains: no lost wake-ups.
//   1. 8 reader goroutines each gort_read 1 byte from the same pipe; all 8
//      are parked first (8 `[IO wait]` in gort_dump); then ONE write(2) of 8
//      bytes: every reader gets one byte (together, the 8 written).  The
//      kernel reports that write as one edge: a runtime that wakes only one
//      reader per edge and does not pass it on leaves 7 parked until their
//      ctx's 10 s timeout (-ETIMEDOUT).
//   2. 4 readers, each with its own ctx (10 s timeout), all parked on one pipe;
//      reader 2's ctx is canceled: only it returns, with -ECANCELED (the
//      other 3 are still parked 50 ms later); then one write(2) of 3 bytes
//      gives each of the other 3 one byte.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "np.h"

static const char *rs(ssize_t r) { return r < 0 ? strerror((int)-r) : "no error"; }

/* generous bounds for waiting on parking (Valgrind: 10 times) */
#define SLOW(ms) (CHECK_VALGRIND ? MS(ms) * 10 : MS(ms))

struct result { int reader; ssize_t r; char byte; };
static gort_chan *results;
static int p[2];

struct reader_arg { int id; gort_ctx *ctx; };

static void reader(void *arg)
{
    struct reader_arg *a = (struct reader_arg *)arg;
    struct result res = { a->id, 0, 0 };
    res.r = gort_read(p[0], &res.byte, 1, a->ctx);
    gort_chan_send(results, &res);
}

static void part1(void)
{
    enum { N = 8 };
    CHECK_EQ_INT(pipe2(p, O_CLOEXEC), 0);
    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), SLOW(10000));
    struct reader_arg args[N];
    for (int i = 0; i < N; i++) {
        args[i] = (struct reader_arg){ i, ctx };
        go(reader, &args[i]);
    }
    int parked = np_wait_io_waiters(N, SLOW(5000));
    CHECK_MSG(parked == N, "1: %d of %d readers parked in gort_read", parked, N);
    CHECK_EQ_INT(write(p[1], "abcdefgh", N), N);
    bool got[N] = { false };
    for (int i = 0; i < N; i++) {
        struct result res;
        CHECK(gort_chan_recv(results, &res));
        CHECK_MSG(res.r == 1, "1: reader %d: gort_read returned %zd (%s) with %d bytes written for %d readers "
                  "(a lost wake-up?)", res.reader, res.r, rs(res.r), N, N);
        CHECK_MSG(res.byte >= 'a' && res.byte < 'a' + N && !got[res.byte - 'a'], "1: reader %d got byte %d",
                  res.reader, res.byte);
        got[res.byte - 'a'] = true;
    }
    gort_ctx_unref(ctx);
    close(p[0]);
    close(p[1]);
}

static void part2(void)
{
    enum { N = 4, VICTIM = 2 };
    CHECK_EQ_INT(pipe2(p, O_CLOEXEC), 0);
    struct reader_arg args[N];
    for (int i = 0; i < N; i++) {
        args[i] = (struct reader_arg){ i, gort_ctx_with_timeout(gort_ctx_background(), SLOW(10000)) };
        go(reader, &args[i]);
    }
    int parked = np_wait_io_waiters(N, SLOW(5000));
    CHECK_MSG(parked == N, "2: %d of %d readers parked in gort_read", parked, N);
    gort_ctx_cancel(args[VICTIM].ctx);
    struct result res;
    CHECK(gort_chan_recv(results, &res));
    CHECK_MSG(res.reader == VICTIM, "2: reader %d returned first (%zd, %s); want the canceled reader %d", res.reader,
              res.r, rs(res.r), VICTIM);
    CHECK_MSG(res.r == -ECANCELED, "2: the canceled reader's gort_read returned %zd (%s); want -ECANCELED", res.r,
              rs(res.r));
    gort_sleep(MS(50));
    bool ok = true;
    CHECK_MSG(!gort_chan_try_recv(results, &res, &ok), "2: reader %d returned %zd (%s) after another's cancel",
              res.reader, res.r, rs(res.r));
    CHECK_EQ_INT(np_count_io_wait(), N - 1);
    CHECK_EQ_INT(write(p[1], "xyz", N - 1), N - 1);
    bool got[N] = { false };
    for (int i = 0; i < N - 1; i++) {
        CHECK(gort_chan_recv(results, &res));
        CHECK_MSG(res.reader != VICTIM && res.reader >= 0 && res.reader < N && !got[res.reader], "2: reader %d again",
                  res.reader);
        got[res.reader] = true;
        CHECK_MSG(res.r == 1, "2: reader %d: gort_read returned %zd (%s)", res.reader, res.r, rs(res.r));
        CHECK_MSG(res.byte >= 'x' && res.byte <= 'z', "2: reader %d got byte %d", res.reader, res.byte);
    }
    for (int i = 0; i < N; i++) gort_ctx_unref(args[i].ctx);
    close(p[0]);
    close(p[1]);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    results = gort_chan_make(sizeof(struct result), 16);
    part1();
    part2();
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_chan_unref(results);
    return 0;
}

GORT_MAIN(main_fn)
