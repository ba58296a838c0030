// gort_connect to a 127.0.0.1 port where a socket is bound but not
// listening (so that nothing else can take the port meanwhile) returns
// -ECONNREFUSED, promptly (< 1 s): with ctx NULL, and with a live ctx (5 s
// timeout) that must not turn the refusal into -ETIMEDOUT.  Both
// from a blocking and from a SOCK_NONBLOCK socket.  Skips if loopback TCP
// is unavailable.
// gort-test: env=GOMAXPROCS=2
#include "np.h"

#include <arpa/inet.h>
#include <netinet/in.h>

static struct sockaddr_in addr;

static void try_connect(int type_flags, gort_ctx *ctx, const char *what)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | type_flags, 0);
    CHECK(fd >= 0);
    int64_t t0 = gort_now();
    int r = gort_connect(fd, (const struct sockaddr *)&addr, sizeof addr, ctx);
    int64_t took = gort_now() - t0;
    CHECK_MSG(r == -ECONNREFUSED, "%s: gort_connect returned %d (%s); want -ECONNREFUSED", what, r,
              np_strerror(r));
    CHECK_MSG(took < MS(1000), "%s: the refusal took %lld ms", what, (long long)(took / 1000000));
    CHECK_EQ_INT(close(fd), 0);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int holder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (holder < 0) SKIP("no AF_INET sockets here: %s", strerror(np_errno()));
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(holder, (struct sockaddr *)&addr, sizeof addr) != 0)
        SKIP("cannot bind 127.0.0.1:0: %s", strerror(np_errno()));
    socklen_t alen = sizeof addr;
    CHECK_EQ_INT(getsockname(holder, (struct sockaddr *)&addr, &alen), 0);
    CHECK_NE_INT(addr.sin_port, 0);

    try_connect(0, NULL, "blocking socket, ctx NULL");
    try_connect(SOCK_NONBLOCK, NULL, "non-blocking socket, ctx NULL");
    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(5000));
    try_connect(0, ctx, "blocking socket, live ctx");
    try_connect(SOCK_NONBLOCK, ctx, "non-blocking socket, live ctx");
    CHECK_EQ_INT(gort_ctx_err(ctx), 0);
    gort_ctx_unref(ctx);
    CHECK_EQ_INT(close(holder), 0);
    return 0;
}

GORT_MAIN(main_fn)
