// A goroutine parked in gort_accept (a listening AF_UNIX socket nobody
// connects to) with a cancelable ctx returns -ECANCELED when another
// goroutine cancels the ctx 50 ms later (not before the cancel, < 500 ms
// after it) — how a server stops accepting on shutdown.  With a 30 ms
// timeout ctx it returns -ETIMEDOUT.  The listener still works
// afterwards: a client connects and gort_accept (ctx NULL) returns its
// connection, through which a byte passes.
// gort-test: env=GOMAXPROCS=2
#include "np.h"

#include <sys/un.h>

static int lfd;
static gort_ctx *ctx;
static gort_waitgroup wg;
static _Atomic int64_t canceled_at;

static void cancel_later(void *arg)
{
    (void)arg;
    gort_sleep(MS(50));
    atomic_store(&canceled_at, gort_now());
    gort_ctx_cancel(ctx);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(lfd >= 0);
    struct sockaddr_un autobind = { .sun_family = AF_UNIX };   /* Linux autobind: an abstract address */
    CHECK_EQ_INT(bind(lfd, (struct sockaddr *)&autobind, sizeof(sa_family_t)), 0);
    CHECK_EQ_INT(listen(lfd, 8), 0);
    struct sockaddr_un addr;
    socklen_t alen = sizeof addr;
    CHECK_EQ_INT(getsockname(lfd, (struct sockaddr *)&addr, &alen), 0);

    ctx = gort_ctx_with_cancel(gort_ctx_background());
    gort_wg_add(&wg, 1);
    go(cancel_later, NULL);
    int fd = gort_accept(lfd, NULL, NULL, ctx);
    int64_t back = gort_now();
    gort_wg_wait(&wg);
    int64_t at = atomic_load(&canceled_at);
    CHECK_MSG(fd == -ECANCELED, "gort_accept returned %d (%s); want -ECANCELED", fd, np_strerror(fd));
    CHECK_MSG(back >= at, "gort_accept returned before the cancel");
    CHECK_MSG(back - at < MS(500), "gort_accept returned %lld ms after the cancel", (long long)((back - at) / 1000000));
    gort_ctx_unref(ctx);

    gort_ctx *t = gort_ctx_with_timeout(gort_ctx_background(), MS(30));
    fd = gort_accept(lfd, NULL, NULL, t);
    CHECK_MSG(fd == -ETIMEDOUT, "gort_accept with a 30 ms timeout returned %d (%s); want -ETIMEDOUT", fd,
              np_strerror(fd));
    gort_ctx_unref(t);

    int cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(cfd >= 0);
    CHECK_EQ_INT(connect(cfd, (struct sockaddr *)&addr, alen), 0);
    gort_ctx *guard = gort_ctx_with_timeout(gort_ctx_background(), MS(2000));
    int afd = gort_accept(lfd, NULL, NULL, guard);
    CHECK_MSG(afd >= 0, "gort_accept after the canceled ones: %s", np_strerror(afd));
    gort_ctx_unref(guard);
    CHECK_EQ_INT(write(cfd, "y", 1), 1);
    char c = 0;
    CHECK_EQ_INT(gort_read(afd, &c, 1, NULL), 1);
    CHECK_EQ_INT(c, 'y');
    close(afd); close(cfd); close(lfd);
    return 0;
}

GORT_MAIN(main_fn)
