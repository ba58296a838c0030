// An echo server: one goroutine per connection sends back every byte it
// reads, until the client closes.  The connection goroutines are written as
// blocking loops (read, write, read, ...); gort_read and gort_write park them
// in the netpoller, so 10,000 quiet clients cost 10,000 small stacks and no
// thread each.
//
//   echo_server [--port N] [--procs N]   serve on 127.0.0.1:N (default 7007;
//                                        0: any free port), GOMAXPROCS N;
//                                        prints "listening on 127.0.0.1:PORT"
//   echo_server --self-test [--procs N]  start the server on a free port and
//                                        run clients against it (the test)
//
// Graceful shutdown on SIGINT/SIGTERM, as in http_server.c (which explains
// the signalfd and the two contexts in more words): stop accepting; a
// connection that has been quiet for 250 ms is closed, one still sending goes
// on until its client closes or the 5 s drain deadline passes; then exit 0
// with a summary.  An echo connection has no requests to finish, so "in
// flight" here means "still talking".  A second signal cuts off at once.
//
// The Go original, in short:
//
//   for {
//       conn, err := ln.Accept()
//       if err != nil { break }               // the listener was closed
//       wg.Add(1)
//       go func() { defer wg.Done(); defer conn.Close(); io.Copy(conn, conn) }()
//   }
//   wg.Wait()
//
// gort-test: args=--self-test
// gort-test: timeout=60
// gort-test: labels=netpoll
// gort-test: stdout=^listening on 127\.0\.0\.1:[0-9]+$
// gort-test: stdout=^shutdown: echoed [0-9]+ bytes on [0-9]+ connections; 2 open at the signal, 0 cut off$
// gort-test: stdout=^self-test: all [0-9]+ checks passed$
#include <gort.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define MS  1000000LL                /* one millisecond in nanoseconds */
#define SEC (1000 * MS)

#define QUIET   (250 * MS)           /* shutting down: a connection this quiet is closed */
#define DRAIN   (5 * SEC)            /* shutting down: the rest are cut off after this */

/* ======================================================================== */
/* The server                                                               */
/* ======================================================================== */

typedef struct server {
    int listen_fd;
    int port;
    gort_ctx *stop;                  /* canceled when shutdown begins */
    gort_ctx *kill;                  /* canceled when the drain deadline passes */
    gort_waitgroup conns;            /* one count per connection goroutine */
    atomic_int stopping, killed;
    atomic_long accepted, open, bytes, open_at_stop, cut_off;
} server;

typedef struct conn {
    server *srv;
    int fd;
    char buf[16384];
} conn;

/* The connection's goroutine: io.Copy(conn, conn).
 *
 * While the server runs, a read waits on srv->stop only: an echo client may
 * stay quiet as long as it likes.  Once shutdown begins that read returns
 * -ECANCELED (nothing is consumed: the descriptor stays usable), and the
 * connection drains: each read now waits at most QUIET, under srv->kill, so a
 * quiet connection closes soon and a busy one lasts until the deadline. */
static void serve_conn(void *arg)
{
    conn *c = arg;
    server *s = c->srv;
    bool draining = false;
    for (;;) {
        gort_ctx *quiet = NULL;
        if (draining)
            quiet = gort_ctx_with_timeout(s->kill, QUIET);
        ssize_t r = gort_read(c->fd, c->buf, sizeof c->buf, draining ? quiet : s->stop);
        if (quiet)
            gort_ctx_unref(quiet);
        if (r == 0)                              /* the client is done */
            break;
        if (r < 0) {                             /* a negative errno */
            if (r == -ECANCELED && !draining) {  /* shutdown has begun */
                draining = true;
                continue;
            }
            break;                               /* quiet, cut off, or an error */
        }
        if (gort_write(c->fd, c->buf, (size_t)r, s->kill) != r)
            break;
        atomic_fetch_add(&s->bytes, r);
    }
    close(c->fd);
    free(c);
    atomic_fetch_sub(&s->open, 1);
    gort_wg_done(&s->conns);
}

/* Binds 127.0.0.1:port (0: a free port; s->port is the one bound). */
static int server_init(server *s, int port)
{
    memset(s, 0, sizeof *s);
    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->listen_fd < 0) {
        perror("echo_server: socket");
        return -1;
    }
    int one = 1;
    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof a;
    if (bind(s->listen_fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        listen(s->listen_fd, 1024) < 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&a, &alen) < 0) {
        fprintf(stderr, "echo_server: 127.0.0.1:%d: %s\n", port, strerror(errno));
        close(s->listen_fd);
        return -1;
    }
    s->port = ntohs(a.sin_port);
    /* Both live as long as the process: a late second signal may use them. */
    s->stop = gort_ctx_with_cancel(gort_ctx_background());
    s->kill = gort_ctx_with_cancel(gort_ctx_background());
    return 0;
}

static void server_shutdown(server *s)
{
    if (atomic_exchange(&s->stopping, 1))
        return;
    atomic_store(&s->open_at_stop, atomic_load(&s->open));
    gort_ctx_cancel(s->stop);
}

static void server_cut_off(server *s)
{
    if (atomic_exchange(&s->killed, 1))
        return;
    atomic_store(&s->cut_off, atomic_load(&s->open));
    gort_ctx_cancel(s->kill);
}

/* The accept loop, until shutdown. */
static void server_serve(server *s)
{
    for (;;) {
        int fd = gort_accept(s->listen_fd, NULL, NULL, s->stop);
        if (fd < 0) {
            int e = -fd;                         /* gort_accept returns -errno */
            if (e == ECANCELED)
                break;
            if (e == ECONNABORTED || e == EINTR)
                continue;
            if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
                gort_sleep(10 * MS);             /* wait for connections to end */
                continue;
            }
            fprintf(stderr, "echo_server: accept: %s\n", strerror(e));
            server_shutdown(s);
            break;
        }
        conn *c = malloc(sizeof *c);
        if (c == NULL) {
            close(fd);
            continue;
        }
        c->srv = s;
        c->fd = fd;
        atomic_fetch_add(&s->accepted, 1);
        atomic_fetch_add(&s->open, 1);
        gort_wg_add(&s->conns, 1);
        gort_go(serve_conn, c);
    }
    close(s->listen_fd);                         /* refuse new connections */
}

typedef struct waiter { gort_waitgroup *wg; gort_chan *done; } waiter;

/* go func() { wg.Wait(); close(done) }() */
static void wait_then_close(void *arg)
{
    waiter *w = arg;
    gort_wg_wait(w->wg);
    gort_chan_close(w->done);
    gort_chan_unref(w->done);
    free(w);
}

/* After server_serve: waits for the connections, at most DRAIN, then cuts off
 * the rest; prints the summary line. */
static void server_drain(server *s)
{
    gort_chan *all_closed = gort_chan_make(0, 0);
    waiter *w = malloc(sizeof *w);
    *w = (waiter){ &s->conns, gort_chan_ref(all_closed) };
    gort_go(wait_then_close, w);

    gort_chan *deadline = gort_after(DRAIN);
    gort_case cases[2] = {
        { .dir = GORT_RECV, .ch = all_closed },
        { .dir = GORT_RECV, .ch = deadline },
    };
    if (gort_select(cases, 2, true) == 1) {
        server_cut_off(s);
        gort_chan_recv(all_closed, NULL);
    }
    gort_chan_unref(deadline);
    gort_chan_unref(all_closed);
    printf("shutdown: echoed %ld bytes on %ld connections; %ld open at the signal, %ld cut off\n",
           atomic_load(&s->bytes), atomic_load(&s->accepted), atomic_load(&s->open_at_stop),
           atomic_load(&s->cut_off));
    fflush(stdout);
}

/* SIGINT and SIGTERM, blocked in every thread, read from a signalfd by a
 * goroutine parked in the netpoller (http_server.c says why). */
static int signal_fd = -1;

static void signal_goroutine(void *arg)
{
    server *s = arg;
    for (int count = 1;; count++) {
        struct signalfd_siginfo si;
        if (gort_read(signal_fd, &si, sizeof si, NULL) != (ssize_t)sizeof si)
            return;
        const char *name = si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM";
        if (count == 1) {
            fprintf(stderr, "echo_server: %s: shutting down (again to stop at once)\n", name);
            server_shutdown(s);
        } else {
            fprintf(stderr, "echo_server: %s: cutting off every connection\n", name);
            server_cut_off(s);
        }
    }
}

/* ======================================================================== */
/* The self-test                                                            */
/* ======================================================================== */

#define CLIENTS     100
#define CLIENT_DATA (64 * 1024)
#define MAX_PIECE   8192

static server srv;
static gort_ctx *test_ctx;            /* every client call ends with it */
static atomic_int failures;
static int checks_run;

#define EXPECT(cond) ((cond) ? true : (expect_failed(#cond, __LINE__), false))

static void expect_failed(const char *what, int line)
{
    fprintf(stderr, "    failed (line %d): %s\n", line, what);
    atomic_fetch_add(&failures, 1);
}

static int client_open(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (fd >= 0 && gort_connect(fd, (struct sockaddr *)&a, sizeof a, test_ctx) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

/* Reads exactly n bytes, or fails. */
static bool read_full(int fd, char *buf, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = gort_read(fd, buf + got, n - got, test_ctx);
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

static bool sees_eof(int fd)
{
    char b;
    return gort_read(fd, &b, 1, test_ctx) == 0;
}

/* One round trip: send n bytes, read them back. */
static bool round_trip(int fd, const char *data, size_t n)
{
    char back[1024];
    return n <= sizeof back && gort_write(fd, data, n, test_ctx) == (ssize_t)n &&
           read_full(fd, back, n) && memcmp(back, data, n) == 0;
}

static uint32_t xorshift(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* ---- 100 clients, each 64 KiB, written and read at once ------------------- */

typedef struct echo_client {
    gort_waitgroup *all;
    int id, fd;
    char *sent;                      /* CLIENT_DATA bytes */
    gort_waitgroup writer_done;
    bool wrote, ok;
} echo_client;

/* The writer half: the data in pieces of 1..8192 bytes, then FIN. */
static void client_writer(void *arg)
{
    echo_client *c = arg;
    uint32_t rng = 0x9e3779b9u * (uint32_t)(c->id + 1);
    size_t off = 0;
    while (off < CLIENT_DATA) {
        size_t piece = 1 + xorshift(&rng) % MAX_PIECE;
        if (piece > CLIENT_DATA - off)
            piece = CLIENT_DATA - off;
        if (gort_write(c->fd, c->sent + off, piece, test_ctx) != (ssize_t)piece)
            break;
        off += piece;
    }
    c->wrote = off == CLIENT_DATA && shutdown(c->fd, SHUT_WR) == 0;
    gort_wg_done(&c->writer_done);
}

/* The reader half, while the writer writes (one goroutine doing both in turn
 * could deadlock once both directions' socket buffers are full): everything
 * comes back, in order, then EOF. */
static void echo_client_run(void *arg)
{
    echo_client *c = arg;
    char *got = malloc(CLIENT_DATA);
    c->fd = client_open();
    if (c->fd >= 0 && got != NULL) {
        gort_wg_add(&c->writer_done, 1);
        gort_go(client_writer, c);
        bool ok = read_full(c->fd, got, CLIENT_DATA) && sees_eof(c->fd);
        gort_wg_wait(&c->writer_done);
        c->ok = ok && c->wrote && memcmp(got, c->sent, CLIENT_DATA) == 0;
        close(c->fd);
    }
    free(got);
    gort_wg_done(c->all);
}

static void check_many_clients(void)
{
    static echo_client clients[CLIENTS];
    gort_waitgroup all = { 0 };
    long bytes_before = atomic_load(&srv.bytes);
    for (int i = 0; i < CLIENTS; i++) {
        echo_client *c = &clients[i];
        *c = (echo_client){ .all = &all, .id = i, .sent = malloc(CLIENT_DATA) };
        uint32_t rng = 0x85ebca6bu * (uint32_t)(i + 1);
        for (int k = 0; k < CLIENT_DATA; k++)
            c->sent[k] = (char)xorshift(&rng);
        gort_wg_add(&all, 1);
        gort_go(echo_client_run, c);
    }
    gort_wg_wait(&all);
    int ok = 0;
    for (int i = 0; i < CLIENTS; i++) {
        ok += clients[i].ok;
        free(clients[i].sent);
    }
    EXPECT(ok == CLIENTS);
    EXPECT(atomic_load(&srv.bytes) - bytes_before == (long)CLIENTS * CLIENT_DATA);
    gort_stats st;
    gort_stats_get(&st);
    printf("    %d/%d clients got their %d KiB back; %lld threads for GOMAXPROCS=%lld\n", ok,
           CLIENTS, CLIENT_DATA / 1024, (long long)st.threads, (long long)st.procs);
}

/* ---- Shutdown ------------------------------------------------------------------ */

#define TALKS 30                     /* the talker's round trips, 30 ms apart */

typedef struct talker {
    gort_waitgroup *wg;
    atomic_int trips;
    bool ok;
} talker;

static void talker_run(void *arg)
{
    talker *t = arg;
    int fd = client_open();
    bool ok = fd >= 0;
    for (int i = 0; ok && i < TALKS; i++) {
        char piece[1024];
        memset(piece, 'a' + i % 26, sizeof piece);
        ok = round_trip(fd, piece, sizeof piece);
        atomic_fetch_add(&t->trips, 1);
        gort_sleep(30 * MS);
    }
    t->ok = ok && shutdown(fd, SHUT_WR) == 0 && sees_eof(fd);
    if (fd >= 0)
        close(fd);
    gort_wg_done(t->wg);
}

static gort_chan *server_done;        /* closed when server_serve and _drain are over */

/* SIGTERM (the real path: kill -> signalfd -> signal goroutine) while one
 * client talks and another is quiet: the quiet one is closed within QUIET,
 * the talker finishes all its round trips, new connections are refused, and
 * nothing is cut off. */
static void check_graceful_shutdown(void)
{
    int quiet = client_open();
    EXPECT(quiet >= 0 && round_trip(quiet, "ping", 4));

    gort_waitgroup wg = { 0 };
    talker t = { .wg = &wg };
    gort_wg_add(&wg, 1);
    gort_go(talker_run, &t);
    for (int i = 0; i < 5000 && atomic_load(&t.trips) < 3; i++)
        gort_sleep(MS);

    int64_t t0 = gort_now();
    EXPECT(kill(getpid(), SIGTERM) == 0);
    EXPECT(sees_eof(quiet));                       /* the quiet one: closed */
    EXPECT(gort_now() - t0 >= QUIET - 50 * MS);
    EXPECT(atomic_load(&t.trips) < TALKS);         /* ... while the talker talks */
    close(quiet);

    gort_wg_wait(&wg);
    EXPECT(t.ok && atomic_load(&t.trips) == TALKS);

    gort_case cases[2] = {
        { .dir = GORT_RECV, .ch = server_done },
        { .dir = GORT_RECV, .ch = gort_ctx_done(test_ctx) },
    };
    EXPECT(gort_select(cases, 2, true) == 0);     /* the server has ended */
    EXPECT(client_open() < 0);                     /* refused */
    EXPECT(atomic_load(&srv.open_at_stop) == 2 && atomic_load(&srv.cut_off) == 0);
}

/* ---- Running them -------------------------------------------------------------- */

static void server_goroutine(void *arg)
{
    gort_chan *done = arg;
    server_serve(&srv);
    server_drain(&srv);
    gort_chan_close(done);
    gort_chan_unref(done);
}

static void run_check(const char *name, void (*fn)(void))
{
    int before = atomic_load(&failures);
    fn();
    checks_run++;
    printf("%s %s\n", atomic_load(&failures) == before ? "ok  " : "FAIL", name);
    fflush(stdout);
}

static int self_test(void)
{
    if (server_init(&srv, 0) < 0)
        return 1;
    printf("listening on 127.0.0.1:%d\n", srv.port);
    test_ctx = gort_ctx_with_timeout(gort_ctx_background(), 30 * SEC);
    server_done = gort_chan_make(0, 0);
    gort_go(signal_goroutine, &srv);
    gort_go(server_goroutine, gort_chan_ref(server_done));

    run_check("100 concurrent clients echo 64 KiB each, in pieces", check_many_clients);
    run_check("SIGTERM: quiet client closed, talking client finishes, then refused",
              check_graceful_shutdown);

    gort_chan_unref(server_done);
    gort_ctx_unref(test_ctx);
    int failed = atomic_load(&failures);
    if (failed) {
        printf("self-test: %d expectations failed\n", failed);
        return 1;
    }
    printf("self-test: all %d checks passed\n", checks_run);
    return 0;
}

/* ======================================================================== */

static int usage(void)
{
    fprintf(stderr, "usage: echo_server [--port N] [--procs N] [--self-test]\n");
    return 2;
}

static int run(int argc, char **argv)
{
    int port = 7007, procs = 0;
    bool test = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
            port = atoi(argv[++i]);
        else if (strcmp(argv[i], "--procs") == 0 && i + 1 < argc)
            procs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--self-test") == 0)
            test = true;
        else
            return usage();
    }
    if (port < 0 || port > 65535 || procs < 0)
        return usage();
    if (procs > 0)
        gort_gomaxprocs(procs);
    if (test)
        return self_test();

    if (server_init(&srv, port) < 0)
        return 1;
    printf("listening on 127.0.0.1:%d\n", srv.port);
    fflush(stdout);
    gort_go(signal_goroutine, &srv);
    server_serve(&srv);                          /* until SIGINT or SIGTERM */
    server_drain(&srv);
    return 0;
}

int main(int argc, char **argv)
{
    /* Block SIGINT and SIGTERM before the runtime starts its threads, which
     * inherit the mask; they are read from signal_fd. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal_fd = signalfd(-1, &set, SFD_CLOEXEC);
    if (signal_fd < 0) {
        perror("echo_server: signalfd");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);                    /* EPIPE from a gone client, not death */
    return gort_main(run, argc, argv);
}
