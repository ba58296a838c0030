// gort_accept and gort_connect on loopback TCP.  A listener on 127.0.0.1:0
// (SOCK_NONBLOCK); one goroutine gort_accepts 10 connections (parked first:
// the clients start 20 ms later), each with an AF_INET peer address of
// 127.0.0.1 and *len set to sizeof(struct sockaddr_in), and starts a server
// goroutine per connection.  10 client goroutines each gort_connect (returns
// 0) a blocking socket, gort_write a 16-byte request naming the client and
// read back the 16-byte answer naming the same client; the server then
// reads EOF (gort_read returns 0) once the client closes.  All 10 exchanges
// complete with matching answers.  Skips if loopback TCP is unavailable.
// gort-test: env=GOMAXPROCS=2
#include "np.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#define C 10
#define LEN 16

static int lfd;
static struct sockaddr_in addr;
static gort_waitgroup wg;
static _Atomic int served, answered;

static void server(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char req[LEN + 1] = { 0 }, ans[LEN + 1];
    ssize_t r = np_read_full(fd, req, LEN, NULL);
    CHECK_MSG(r == LEN, "server: read %zd of %d request bytes (%s)", r, LEN, np_strerror(r));
    int id = -1;
    CHECK_MSG(sscanf(req, "request %7d", &id) == 1 && id >= 0 && id < C, "server: bad request \"%s\"", req);
    snprintf(ans, sizeof ans, "answer  %07d\n", id);
    CHECK_EQ_INT(gort_write(fd, ans, LEN, NULL), LEN);
    char c;
    r = gort_read(fd, &c, 1, NULL);
    CHECK_MSG(r == 0, "server %d: gort_read after the client closed returned %zd (%s); want 0", id, r,
              np_strerror(r));
    CHECK_EQ_INT(close(fd), 0);
    atomic_fetch_add(&served, 1);
    gort_wg_done(&wg);
}

static void acceptor(void *arg)
{
    (void)arg;
    for (int i = 0; i < C; i++) {
        struct sockaddr_in peer;
        memset(&peer, 0, sizeof peer);
        socklen_t len = sizeof peer;
        int fd = gort_accept(lfd, (struct sockaddr *)&peer, &len, NULL);
        CHECK_MSG(fd >= 0, "gort_accept %d: %s", i, np_strerror(fd));
        CHECK_EQ_INT(len, sizeof(struct sockaddr_in));
        CHECK_EQ_INT(peer.sin_family, AF_INET);
        CHECK_EQ_U64(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
        go(server, (void *)(intptr_t)fd);
    }
    gort_wg_done(&wg);
}

static void client(void *arg)
{
    int id = (int)(intptr_t)arg;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(fd >= 0);
    int r = gort_connect(fd, (const struct sockaddr *)&addr, sizeof addr, NULL);
    CHECK_MSG(r == 0, "client %d: gort_connect returned %d (%s)", id, r, np_strerror(r));
    char req[LEN + 1], ans[LEN + 1] = { 0 }, want[LEN + 1];
    snprintf(req, sizeof req, "request %07d\n", id);
    snprintf(want, sizeof want, "answer  %07d\n", id);
    CHECK_EQ_INT(gort_write(fd, req, LEN, NULL), LEN);
    ssize_t n = np_read_full(fd, ans, LEN, NULL);
    CHECK_MSG(n == LEN, "client %d: read %zd of %d answer bytes (%s)", id, n, LEN, np_strerror(n));
    CHECK_MSG(memcmp(ans, want, LEN) == 0, "client %d: answer \"%s\"", id, ans);
    CHECK_EQ_INT(close(fd), 0);
    atomic_fetch_add(&answered, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0) SKIP("no AF_INET sockets here: %s", strerror(np_errno()));
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0)
        SKIP("cannot bind 127.0.0.1:0: %s", strerror(np_errno()));
    CHECK_EQ_INT(listen(lfd, 64), 0);
    socklen_t alen = sizeof addr;
    CHECK_EQ_INT(getsockname(lfd, (struct sockaddr *)&addr, &alen), 0);
    CHECK_NE_INT(addr.sin_port, 0);

    gort_wg_add(&wg, 1 + 2 * C);          /* acceptor, C servers, C clients */
    go(acceptor, NULL);
    gort_sleep(MS(20));                   /* the acceptor is parked in gort_accept */
    for (intptr_t i = 0; i < C; i++) go(client, (void *)i);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&served), C);
    CHECK_EQ_INT(atomic_load(&answered), C);
    CHECK_EQ_INT(close(lfd), 0);
    return 0;
}

GORT_MAIN(main_fn)
