/* np.h — small helpers shared by the conformance/netpoll tests (included
 * as "netpoll/np.h" would also work; the tests include it as "np.h", from
 * their own directory).  Include it first: it includes check.h, which
 * defines _GNU_SOURCE. */
#ifndef GORT_CONFORMANCE_NETPOLL_NP_H
#define GORT_CONFORMANCE_NETPOLL_NP_H

#include "check.h"

#include <poll.h>
#include <sys/socket.h>

/* Errors as values.  gort_read, gort_write, gort_accept and gort_connect
 * return a negative errno on failure (-ECANCELED, -ETIMEDOUT, -EPIPE, ...),
 * and gort_fd_wait returns 0, a GORT_* ctx code or a negative errno: the
 * tests check those return values and never read errno after a gort call.
 * (A goroutine may resume on another OS thread after a call that parks, and
 * compilers treat __errno_location() as a const function, so errno read
 * after such a call may be another thread's.)
 *
 * np_strerror(r): the text of a failed I/O call's result r (a negative
 * errno), for messages; "no error" when r >= 0 (a short count, EOF). */
static CHECK_UNUSED const char *np_strerror(ssize_t r) { return r < 0 ? strerror((int)-r) : "no error"; }

/* errno of a plain system call (socket, fcntl, setsockopt, read(2), ...),
 * read afresh.  Plain calls still report failures in errno, and the hazard
 * above remains for them: in a function that also parks (gort_sleep,
 * gort_wg_wait, a channel operation, an I/O call), in a loop or after
 * inlining, the compiler may reuse an errno address computed before the
 * park, i.e. read the errno of the thread the goroutine ran on before.  The
 * tests therefore read a plain call's errno only through this non-inlined
 * function, right after the call. */
static CHECK_NOINLINE CHECK_UNUSED int np_errno(void) { return errno; }

/* A connected AF_UNIX stream socketpair, created blocking (the I/O calls
 * must cope with that: they set O_NONBLOCK themselves). */
static CHECK_UNUSED void np_socketpair(int sv[2])
{
    CHECK_MSG(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair: %s",
              strerror(np_errno()));
}

static CHECK_UNUSED bool np_is_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    CHECK_MSG(fl >= 0, "fcntl(%d, F_GETFL): %s", fd, strerror(np_errno()));
    return (fl & O_NONBLOCK) != 0;
}

static CHECK_UNUSED void np_set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    CHECK(fl >= 0);
    CHECK_EQ_INT(fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
}

/* gort_read until n bytes or EOF: the bytes read, or the negative errno of
 * the gort_read that failed (-ETIMEDOUT, -ECANCELED, -ECONNRESET, ...). */
static CHECK_UNUSED ssize_t np_read_full(int fd, void *buf, size_t n, gort_ctx *ctx)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = gort_read(fd, (char *)buf + got, n - got, ctx);
        if (r < 0) return r;
        if (r == 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* Shrinks fd's send buffer, makes it O_NONBLOCK and writes until EAGAIN:
 * afterwards the socket is not writable until its peer reads.  Returns the
 * bytes written. */
static CHECK_UNUSED size_t np_fill(int fd)
{
    int small = 4096;
    CHECK_EQ_INT(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    np_set_nonblocking(fd);
    static const char junk[4096];
    size_t total = 0;
    for (;;) {
        ssize_t w = write(fd, junk, sizeof junk);
        if (w < 0) {
            int e = np_errno();
            CHECK_MSG(e == EAGAIN || e == EWOULDBLOCK, "filling fd %d: %s", fd, strerror(e));
            return total;
        }
        total += (size_t)w;
    }
}

/* How many goroutines gort_dump shows as `[IO wait` (", N minutes]" allowed). */
static CHECK_UNUSED int np_count_io_wait(void)
{
    char *d = dump_to_string();
    CHECK(d != NULL);
    int n = count_substr(d, "[IO wait");
    free(d);
    return n;
}

/* Waits (sleeping in 20 ms steps, a dump each time) until gort_dump shows at
 * least `want` goroutines in `[IO wait]`, up to timeout_ns; returns the last
 * count seen. */
static CHECK_UNUSED int np_wait_io_waiters(int want, int64_t timeout_ns)
{
    int64_t end = now_ns() + timeout_ns;
    int n;
    while ((n = np_count_io_wait()) < want && now_ns() < end) gort_sleep(MS(20));
    return n;
}

#endif /* GORT_CONFORMANCE_NETPOLL_NP_H */
