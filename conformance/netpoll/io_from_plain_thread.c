// The I/O calls work from a plain thread that runs no goroutine (they then
// block that thread, as every blocking gort call does): a pthread's
// gort_read gets the 3 bytes a goroutine gort_writes 50 ms later (after
// waiting >= 40 ms), its gort_read with a 30 ms timeout ctx returns
// -ETIMEDOUT (after >= 30 ms, never early, < 1 s), with a canceled ctx -ECANCELED,
// its gort_fd_wait(POLLOUT) on a writable socket returns 0, and its
// gort_write of 64 KiB into a 16 KiB send buffer completes (returns 64 KiB)
// while a goroutine reads it all.
// gort-test: env=GOMAXPROCS=2
#include "np.h"

#include <pthread.h>

#define BIG (64 * 1024)

static int sv[2];
static gort_waitgroup thread_done, helper_done;

static void write_later(void *arg)
{
    (void)arg;
    gort_sleep(MS(50));
    CHECK_EQ_INT(gort_write(sv[1], "abc", 3, NULL), 3);
    gort_wg_done(&helper_done);
}

static void read_big(void *arg)
{
    (void)arg;
    static unsigned char buf[BIG];
    ssize_t r = np_read_full(sv[1], buf, BIG, NULL);
    CHECK_EQ_INT(r, BIG);
    for (int i = 0; i < BIG; i++) CHECK_EQ_INT(buf[i], (unsigned char)i);
    gort_wg_done(&helper_done);
}

static void *thread_main(void *arg)
{
    (void)arg;
    CHECK_EQ_U64(gort_id(), 0);               /* really a plain thread */

    gort_wg_add(&helper_done, 1);
    gort_go(write_later, NULL);
    char buf[8] = { 0 };
    int64_t t0 = gort_now();
    ssize_t r = np_read_full(sv[0], buf, 3, NULL);
    CHECK_MSG(r == 3 && memcmp(buf, "abc", 3) == 0, "plain thread: gort_read returned %zd (%s)", r,
              np_strerror(r));
    CHECK_MSG(gort_now() - t0 >= MS(40), "plain thread: gort_read returned after %lld us, before the write",
              (long long)((gort_now() - t0) / 1000));
    gort_wg_wait(&helper_done);

    t0 = gort_now();   /* before the ctx: its timeout counts from its making */
    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(30));
    r = gort_read(sv[0], buf, sizeof buf, ctx);
    int64_t took = gort_now() - t0;
    CHECK_MSG(r == -ETIMEDOUT, "plain thread: timed read returned %zd (%s); want -ETIMEDOUT", r, np_strerror(r));
    CHECK_MSG(took >= MS(30) && took < MS(1000), "plain thread: the 30 ms timeout took %lld us",
              (long long)(took / 1000));
    gort_ctx_unref(ctx);

    ctx = gort_ctx_with_cancel(gort_ctx_background());
    gort_ctx_cancel(ctx);
    r = gort_read(sv[0], buf, sizeof buf, ctx);
    CHECK_MSG(r == -ECANCELED, "plain thread: read with a canceled ctx returned %zd (%s); want -ECANCELED", r,
              np_strerror(r));
    gort_ctx_unref(ctx);

    CHECK_EQ_INT(gort_fd_wait(sv[0], POLLOUT, NULL), 0);

    static unsigned char big[BIG];
    for (int i = 0; i < BIG; i++) big[i] = (unsigned char)i;
    int small = 16 * 1024;
    CHECK_EQ_INT(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    gort_wg_add(&helper_done, 1);
    gort_go(read_big, NULL);
    r = gort_write(sv[0], big, BIG, NULL);
    CHECK_MSG(r == BIG, "plain thread: gort_write returned %zd (%s)", r, np_strerror(r));
    gort_wg_wait(&helper_done);

    gort_wg_done(&thread_done);
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    np_socketpair(sv);
    gort_wg_add(&thread_done, 1);
    pthread_t th;
    CHECK_EQ_INT(pthread_create(&th, NULL, thread_main, NULL), 0);
    gort_wg_wait(&thread_done);
    CHECK_EQ_INT(pthread_join(th, NULL), 0);
    return 0;
}

GORT_MAIN(main_fn)
