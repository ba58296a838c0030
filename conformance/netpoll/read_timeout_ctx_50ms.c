// gort_read on a socket nobody writes, with a context that times out after
// 50 ms, returns -ETIMEDOUT after 45 ms to 1 s, and the ctx's
// err is then GORT_DEADLINE_EXCEEDED.  The timed-out wait leaves nothing
// behind: a byte written afterwards is read by the next gort_read (no stale
// waiter, no "double wait"), and the goroutine count is back to 1 (main).
// Checked from main and from a spawned goroutine.
// gort-test: env=GOMAXPROCS=2
#include "np.h"

static int sv[2];
static gort_waitgroup wg;

static void timed_read(const char *who)
{
    char buf[16];
    int64_t t0 = gort_now();   /* before the ctx: its 50 ms count from its making */
    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(50));
    ssize_t r = gort_read(sv[0], buf, sizeof buf, ctx);
    int64_t took = gort_now() - t0;
    CHECK_MSG(r == -ETIMEDOUT, "%s: gort_read returned %zd (%s); want -ETIMEDOUT", who, r, np_strerror(r));
    CHECK_MSG(took >= MS(45), "%s: the 50 ms timeout ended the read after %lld us", who,
              (long long)(took / 1000));
    CHECK_MSG(took < MS(1000), "%s: the 50 ms timeout ended the read after %lld ms", who,
              (long long)(took / 1000000));
    CHECK_EQ_INT(gort_ctx_err(ctx), GORT_DEADLINE_EXCEEDED);
    gort_ctx_unref(ctx);
    NOTE("%s: 50 ms read timeout took %lld us\n", who, (long long)(took / 1000));

    /* the descriptor still works: nothing consumed, no waiter left registered */
    CHECK_EQ_INT(write(sv[1], "z", 1), 1);
    gort_ctx *guard = gort_ctx_with_timeout(gort_ctx_background(), MS(2000));
    buf[0] = 0;
    r = gort_read(sv[0], buf, sizeof buf, guard);
    CHECK_MSG(r == 1, "%s: read after the timeout returned %zd (%s)", who, r, np_strerror(r));
    CHECK_EQ_INT(buf[0], 'z');
    gort_ctx_unref(guard);
}

static void in_goroutine(void *arg)
{
    (void)arg;
    timed_read("goroutine");
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    np_socketpair(sv);
    CHECK_EQ_INT(gort_num_goroutine(), 1);
    timed_read("main");
    CHECK_EQ_INT(gort_num_goroutine(), 1);
    gort_wg_add(&wg, 1);
    go(in_goroutine, NULL);
    gort_wg_wait(&wg);
    int left = wait_num_goroutine_at_most(1, MS(1000));
    CHECK_MSG(left == 1, "%d goroutines counted after the timed-out reads ended", left);
    return 0;
}

GORT_MAIN(main_fn)
