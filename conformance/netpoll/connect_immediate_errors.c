// gort_connect returns the error connect(2) reports at once, as a negative
// errno, without waiting for the socket to become writable: on AF_UNIX
// stream sockets (whose connect completes or fails immediately), a path
// that does not exist gives -ENOENT, and a socket file bound but not
// listening gives -ECONNREFUSED; with ctx NULL and with a live ctx.  (A
// connect treated as "in progress" would instead wait for writability and
// then read SO_ERROR, which is 0 for these: a false success.)
#include "np.h"

#include <sys/un.h>

static void try_connect(const char *path, int want, gort_ctx *ctx, const char *what)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(fd >= 0);
    int r = gort_connect(fd, (const struct sockaddr *)&a, sizeof a, ctx);
    CHECK_MSG(r == want, "%s: gort_connect returned %d (%s); want %d (%s)", what, r, np_strerror(r), want,
              np_strerror(want));
    CHECK_EQ_INT(close(fd), 0);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    char dir[] = "/tmp/gort-connect-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char missing[80], bound[80];
    snprintf(missing, sizeof missing, "%s/missing.sock", dir);
    snprintf(bound, sizeof bound, "%s/bound.sock", dir);

    int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(lfd >= 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof a.sun_path, "%s", bound);
    CHECK_EQ_INT(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);   /* bound, never listening */

    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(5000));
    try_connect(missing, -ENOENT, NULL, "no such path, ctx NULL");
    try_connect(missing, -ENOENT, ctx, "no such path, live ctx");
    try_connect(bound, -ECONNREFUSED, NULL, "not listening, ctx NULL");
    try_connect(bound, -ECONNREFUSED, ctx, "not listening, live ctx");
    gort_ctx_unref(ctx);

    CHECK_EQ_INT(close(lfd), 0);
    CHECK_EQ_INT(unlink(bound), 0);
    CHECK_EQ_INT(rmdir(dir), 0);
    return 0;
}

GORT_MAIN(main_fn)
