// Several goroutines may wait on one descriptor at once, in the same
// direction (Go allows it: many goroutines may call Accept on one
// listener).  4 acceptor goroutines loop gort_accept on one TCP listener on
// 127.0.0.1; all 4 are parked (`[IO wait]` in gort_dump) before any client
// connects.  200 clients then connect, each writing its 4-byte number: 150
// from goroutines (gort_connect, gort_write), 50 from a plain pthread
// (connect(2), write(2)).  Each acceptor reads the number from every
// connection it accepts and closes it.  Every connection is accepted exactly
// once (each number seen once, 200 in all); then a cancel of the acceptors'
// ctx ends each of them with -ECANCELED, and the program exits 0 (no
// `fatal error: ... double wait`).  Per-acceptor counts go to stdout (not
// asserted: one acceptor may legitimately drain several connections per
// wake-up).  Skips if loopback TCP is unavailable.
// gort-test: env=GOMAXPROCS=4
// gort-test: timeout=60
#include "np.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>

#define ACCEPTORS 4
#define CLIENTS 200
#define THREAD_CLIENTS 50

static const char *rs(ssize_t r) { return r < 0 ? strerror((int)-r) : "no error"; }

static int lfd;
static struct sockaddr_in addr;
static gort_ctx *actx;
static _Atomic int seen[CLIENTS];
static _Atomic int accepted_total;
static int per_acceptor[ACCEPTORS];
static _Atomic int canceled;
static gort_waitgroup acceptors_wg, clients_wg;
static gort_chan *all_in;       /* one value when the 200th connection was read */

static void acceptor(void *arg)
{
    intptr_t k = (intptr_t)arg;
    for (;;) {
        int fd = gort_accept(lfd, NULL, NULL, actx);
        if (fd < 0) {
            CHECK_MSG(fd == -ECANCELED && gort_ctx_err(actx) == GORT_CANCELED,
                      "acceptor %d: gort_accept returned %d (%s)", (int)k, fd, rs(fd));
            atomic_fetch_add(&canceled, 1);
            break;
        }
        uint32_t id = UINT32_MAX;
        ssize_t r = np_read_full(fd, &id, sizeof id, NULL);
        CHECK_MSG(r == (ssize_t)sizeof id, "acceptor %d: read %zd (%s)", (int)k, r, rs(r));
        CHECK_MSG(id < CLIENTS, "acceptor %d: client number %u", (int)k, id);
        int before = atomic_fetch_add(&seen[id], 1);
        CHECK_MSG(before == 0, "connection %u accepted twice", id);
        CHECK_EQ_INT(close(fd), 0);
        per_acceptor[k]++;
        if (atomic_fetch_add(&accepted_total, 1) + 1 == CLIENTS) {
            int one = 1;
            gort_chan_send(all_in, &one);
        }
    }
    gort_wg_done(&acceptors_wg);
}

static void client(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(fd >= 0);
    int r = gort_connect(fd, (const struct sockaddr *)&addr, sizeof addr, NULL);
    CHECK_MSG(r == 0, "client %u: gort_connect returned %d (%s)", id, r, rs(r));
    ssize_t w = gort_write(fd, &id, sizeof id, NULL);
    CHECK_MSG(w == (ssize_t)sizeof id, "client %u: gort_write returned %zd (%s)", id, w, rs(w));
    CHECK_EQ_INT(close(fd), 0);
    gort_wg_done(&clients_wg);
}

static void *thread_clients(void *arg)
{
    (void)arg;
    for (uint32_t id = CLIENTS - THREAD_CLIENTS; id < CLIENTS; id++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        CHECK(fd >= 0);
        CHECK_MSG(connect(fd, (const struct sockaddr *)&addr, sizeof addr) == 0, "thread client %u: connect: %s", id,
                  strerror(errno));
        CHECK_EQ_INT(write(fd, &id, sizeof id), (int)sizeof id);
        CHECK_EQ_INT(close(fd), 0);
    }
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0) SKIP("no AF_INET sockets here: %s", strerror(np_errno()));
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0)
        SKIP("cannot bind 127.0.0.1:0: %s", strerror(np_errno()));
    CHECK_EQ_INT(listen(lfd, 256), 0);
    socklen_t alen = sizeof addr;
    CHECK_EQ_INT(getsockname(lfd, (struct sockaddr *)&addr, &alen), 0);

    all_in = gort_chan_make(sizeof(int), 1);
    actx = gort_ctx_with_cancel(gort_ctx_background());
    gort_wg_add(&acceptors_wg, ACCEPTORS);
    for (intptr_t k = 0; k < ACCEPTORS; k++) go(acceptor, (void *)k);
    int parked = np_wait_io_waiters(ACCEPTORS, CHECK_VALGRIND ? MS(100000) : MS(10000));
    CHECK_MSG(parked == ACCEPTORS, "%d of %d acceptors parked in gort_accept", parked, ACCEPTORS);

    pthread_t th;
    CHECK_EQ_INT(pthread_create(&th, NULL, thread_clients, NULL), 0);
    gort_wg_add(&clients_wg, CLIENTS - THREAD_CLIENTS);
    for (uintptr_t id = 0; id < CLIENTS - THREAD_CLIENTS; id++) go(client, (void *)id);
    gort_wg_wait(&clients_wg);
    int v = 0;
    CHECK(gort_chan_recv(all_in, &v));      /* all 200 read */
    CHECK_EQ_INT(pthread_join(th, NULL), 0);

    gort_ctx_cancel(actx);
    gort_wg_wait(&acceptors_wg);
    CHECK_EQ_INT(atomic_load(&canceled), ACCEPTORS);
    CHECK_EQ_INT(atomic_load(&accepted_total), CLIENTS);
    int sum = 0;
    for (int i = 0; i < CLIENTS; i++) CHECK_MSG(atomic_load(&seen[i]) == 1, "connection %d accepted %d times", i,
                                                atomic_load(&seen[i]));
    printf("accepted per acceptor:");
    for (int k = 0; k < ACCEPTORS; k++) { printf(" %d", per_acceptor[k]); sum += per_acceptor[k]; }
    printf("\n");
    CHECK_EQ_INT(sum, CLIENTS);
    gort_ctx_unref(actx);
    gort_chan_unref(all_in);
    CHECK_EQ_INT(close(lfd), 0);
    return 0;
}

GORT_MAIN(main_fn)
