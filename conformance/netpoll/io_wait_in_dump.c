// A goroutine parked on a descriptor shows in gort_dump as `[IO wait]`: one
// parked in gort_read (nothing to read), one in gort_fd_wait(POLLOUT) on a
// socket whose send buffer is full, one in gort_accept on a listening
// socket nobody connects to; each header `goroutine N [IO wait` with the id
// gort_go returned.  Once released (a byte written, the buffer drained, a
// connection made) they end, and the dump shows no `[IO wait` at all.
// gort-test: env=GOMAXPROCS=2
#include "np.h"

#include <sys/un.h>

static int rd[2], wr[2], lfd;
static struct sockaddr_un laddr;
static socklen_t laddr_len;
static gort_waitgroup in, fin;

static void reader(void *arg)
{
    (void)arg;
    char c = 0;
    gort_wg_done(&in);
    CHECK_EQ_INT(gort_read(rd[0], &c, 1, NULL), 1);
    gort_wg_done(&fin);
}

static void waiter(void *arg)
{
    (void)arg;
    gort_wg_done(&in);
    CHECK_EQ_INT(gort_fd_wait(wr[0], POLLOUT, NULL), 0);
    gort_wg_done(&fin);
}

static void acceptor(void *arg)
{
    (void)arg;
    gort_wg_done(&in);
    int fd = gort_accept(lfd, NULL, NULL, NULL);
    CHECK_MSG(fd >= 0, "gort_accept returned %d (%s)", fd, np_strerror(fd));
    CHECK_EQ_INT(close(fd), 0);
    gort_wg_done(&fin);
}

static void check_state(const char *dump, uint64_t id, const char *what)
{
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [IO wait", (unsigned long long)id);
    CHECK_MSG(strstr(dump, head) != NULL, "%s: no \"%s\" in the dump:\n%.900s", what, head, dump);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    np_socketpair(rd);
    np_socketpair(wr);
    size_t filled = np_fill(wr[0]);
    lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(lfd >= 0);
    struct sockaddr_un autobind = { .sun_family = AF_UNIX };   /* Linux autobind: an abstract address */
    CHECK_EQ_INT(bind(lfd, (struct sockaddr *)&autobind, sizeof(sa_family_t)), 0);
    CHECK_EQ_INT(listen(lfd, 8), 0);
    laddr_len = sizeof laddr;
    CHECK_EQ_INT(getsockname(lfd, (struct sockaddr *)&laddr, &laddr_len), 0);

    gort_wg_add(&in, 3);
    gort_wg_add(&fin, 3);
    uint64_t a = go(reader, NULL);
    uint64_t b = go(waiter, NULL);
    uint64_t c = go(acceptor, NULL);
    gort_wg_wait(&in);
    int n = np_wait_io_waiters(3, MS(2000));
    char *dump = dump_to_string();
    CHECK(dump != NULL);
    CHECK_MSG(n == 3, "%d goroutines in [IO wait]; want 3:\n%.1200s", n, dump);
    check_state(dump, a, "gort_read");
    check_state(dump, b, "gort_fd_wait(POLLOUT)");
    check_state(dump, c, "gort_accept");
    free(dump);

    CHECK_EQ_INT(write(rd[1], "x", 1), 1);
    static char sink[1 << 16];
    for (size_t drained = 0; drained < filled;) {
        ssize_t r = read(wr[1], sink, sizeof sink);
        CHECK_GT_INT(r, 0);
        drained += (size_t)r;
    }
    int cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(cfd >= 0);
    CHECK_EQ_INT(connect(cfd, (struct sockaddr *)&laddr, laddr_len), 0);
    gort_wg_wait(&fin);
    dump = dump_to_string();
    CHECK(dump != NULL);
    CHECK_MSG(count_substr(dump, "[IO wait") == 0, "[IO wait] still in the dump:\n%.900s", dump);
    free(dump);
    close(cfd);
    return 0;
}

GORT_MAIN(main_fn)
