// A small HTTP/1.1 server with one goroutine per connection, as Go's net/http:
// the code reads like blocking code (read the request, sleep, write the
// answer), yet a goroutine waiting for a slow client or sleeping in /sleep
// holds no OS thread: gort_read, gort_write, gort_accept and gort_sleep park
// it, and the netpoller wakes it when its socket is ready.  As in Go, errors
// are values: the I/O calls return a failure as a negative errno (-ETIMEDOUT,
// -ECANCELED, -EPIPE, ...) and the code checks that, not errno: a goroutine
// may resume on another OS thread after a call that parks, and the compiler
// may go on using the errno address of the thread it ran on before
// (__errno_location() is declared const).
//
//   http_server [--port N] [--procs N]   serve on 127.0.0.1:N (default 8080;
//                                        0: any free port), GOMAXPROCS N;
//                                        prints "listening on 127.0.0.1:PORT"
//   http_server --self-test [--procs N]  start the server on a free port and
//                                        run clients against it (the test)
//
//   GET /              "hello from gort\n"
//   GET /sleep?ms=N    sleeps N ms (at most 10000) without holding a thread
//   other paths        404; methods other than GET and HEAD: 405
//
// What a production server must do, and this one does, as Go's does:
//  - keep-alive and pipelining: requests are parsed from a per-connection
//    buffer, and the bytes after one request are kept for the next;
//  - malformed or oversized requests are answered 400/431/413/... with
//    http1_format_error and the connection is closed (their framing is lost);
//  - deadlines: an idle keep-alive connection is closed after 30 s (Go's
//    IdleTimeout); a request must arrive whole within 10 s of its first byte
//    (ReadHeaderTimeout/ReadTimeout: a client sending one byte a minute would
//    otherwise hold its connection for ever), else 408;
//  - graceful shutdown on SIGINT/SIGTERM (Go's Server.Shutdown): stop
//    accepting, close idle connections at once, let requests in flight finish
//    within 5 s, then cut off what is left, print a summary and exit 0.  A
//    second signal cuts off at once.
//
// The Go original of the connection loop, in short:
//
//   for {
//       conn.SetReadDeadline(time.Now().Add(idleTimeout))
//       req, err := readRequest(conn)     // head, then the body
//       if err != nil { answerError(conn, err); return }
//       handler.ServeHTTP(w, req)         // "/" or "/sleep"
//       if !req.keepAlive || shuttingDown { return }
//   }
//
// gort-test: args=--self-test
// gort-test: timeout=60
// gort-test: labels=netpoll
// gort-test: stdout=^listening on 127\.0\.0\.1:[0-9]+$
// gort-test: stdout=^shutdown: [0-9]+ requests on [0-9]+ connections; 1 in flight at the signal, 0 cut off$
// gort-test: stdout=^self-test: all [0-9]+ checks passed$
#include <gort.h>
#include "http1.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define MS  1000000LL                /* one millisecond in nanoseconds */
#define SEC (1000 * MS)

#define MAX_SLEEP_MS 10000           /* /sleep?ms=N: N is capped here */
#define MAX_BODY     (1 << 20)       /* request bodies are read and dropped; larger: 413 */
#define LINGER       (500 * MS)      /* see linger_close */

/* ======================================================================== */
/* The server                                                               */
/* ======================================================================== */

typedef struct server_config {
    int64_t idle_timeout;     /* the next request's first byte within this */
    int64_t request_timeout;  /* the rest of the request within this of its first byte */
    int64_t drain_timeout;    /* shutdown: what requests in flight get */
} server_config;

static const server_config default_config = { 30 * SEC, 10 * SEC, 5 * SEC };

typedef struct server {
    server_config cfg;
    int listen_fd;
    int port;
    /* Shutdown is two contexts, two stages:
     *   stop: canceled when shutdown begins (the signal).  The accept loop and
     *         every idle connection wait on it, so they end at once.
     *   kill: canceled when the drain deadline passes.  Everything a request
     *         in flight waits on (its body, /sleep, writing the answer) uses
     *         it, so whatever is left ends then.
     * Both live as long as the process: a late second signal may still use them. */
    gort_ctx *stop;
    gort_ctx *kill;
    gort_waitgroup conns;     /* one count per connection goroutine */
    atomic_int stopping, killed;
    /* Counters, for the summary line (and the self-test, which peeks). */
    atomic_long accepted, open, requests, in_flight, sleeping;
    atomic_long in_flight_at_stop, cut_off;
} server;

/* One connection: its socket and the parser's buffer (which must hold at
 * least HTTP1_MAX_HEAD_BYTES, see http1.h).  On the heap: the goroutine's own
 * stack stays small. */
typedef struct conn {
    server *srv;
    int fd;
    size_t have;                       /* bytes in buf */
    char buf[HTTP1_MAX_HEAD_BYTES];
} conn;

/* ---- Writing answers ------------------------------------------------------ */

/* Closes the connection after an answer the client may not have read yet.
 * close(2) on a socket that still holds unread bytes (a pipelined request,
 * the rest of an oversized head) makes Linux send RST instead of FIN, and an
 * RST can destroy our answer in the client's receive buffer before it has
 * read it.  So send FIN first (shutdown SHUT_WR), then read and drop what the
 * client still sends until it closes or half a second passes (Go's
 * closeWriteAndWait). */
static void linger_close(conn *c)
{
    shutdown(c->fd, SHUT_WR);
    gort_ctx *ctx = gort_ctx_with_timeout(c->srv->kill, LINGER);
    char junk[4096];
    for (int i = 0; i < 64; i++)               /* 256 KiB at most */
        if (gort_read(c->fd, junk, sizeof junk, ctx) <= 0)
            break;
    gort_ctx_unref(ctx);
}

/* Answers a request that cannot be served (malformed, too large, too slow)
 * and closes: its framing is lost, the connection cannot carry another. */
static void reply_error(conn *c, int err, const char *detail)
{
    char out[512];
    int m = http1_format_error(out, sizeof out, err, detail);
    if (m > 0 && gort_write(c->fd, out, (size_t)m, c->srv->kill) == m)
        linger_close(c);
}

/* Writes a whole response: status, `extra` header lines (may be NULL), a
 * text/plain body (not for HEAD, which gets the same head).  The connection
 * is kept alive unless the client asked to close or the server is shutting
 * down; Go answers "Connection: close" too once Shutdown has begun.
 * Returns true when the connection goes on.
 *
 * No write deadline (Go's default WriteTimeout is none either): a client that
 * never reads parks this goroutine in gort_write, which costs its memory but
 * no thread, until a forced shutdown. */
static bool respond(conn *c, const http1_request *req, int status, const char *extra,
                    const char *body)
{
    server *s = c->srv;
    bool keep = req->keep_alive && gort_ctx_err(s->stop) == 0;
    char out[1024];
    int m = http1_format_text_response(req, out, sizeof out, status, extra, body, keep);
    if (m < 0)
        return false;
    size_t n = (size_t)m;
    if (gort_write(c->fd, out, n, s->kill) != (ssize_t)n)
        return false;
    if (!keep)
        linger_close(c);
    return keep;
}

/* ---- Handlers -------------------------------------------------------------- */

/* time.Sleep that a forced shutdown cuts short:
 *
 *   select {
 *   case <-time.After(d):  return true
 *   case <-ctx.Done():     return false
 *   }
 *
 * (gort_sleep would do for the sleep itself; the select lets the drain
 * deadline end it.)  Either way the goroutine is parked on a timer: its
 * thread goes on running other connections. */
static bool sleep_ctx(int64_t ns, gort_ctx *ctx)
{
    gort_chan *timer = gort_after(ns);
    gort_case cases[2] = {
        { .dir = GORT_RECV, .ch = timer },
        { .dir = GORT_RECV, .ch = gort_ctx_done(ctx) },
    };
    int chosen = gort_select(cases, 2, true);
    gort_chan_unref(timer);
    return chosen == 0;
}

/* GET /sleep?ms=N */
static bool handle_sleep(conn *c, const http1_request *req)
{
    http1_str v;
    uint64_t ms;
    if (!http1_query_get(req->query, "ms", &v) || !http1_parse_uint(v, UINT64_MAX, &ms))
        return respond(c, req, 400, NULL, "400 bad request: want /sleep?ms=N\n");
    if (ms > MAX_SLEEP_MS)
        ms = MAX_SLEEP_MS;

    server *s = c->srv;
    atomic_fetch_add(&s->sleeping, 1);
    bool slept = sleep_ctx((int64_t)ms * MS, s->kill);
    atomic_fetch_sub(&s->sleeping, 1);
    if (!slept)
        return false;                  /* cut off by the drain deadline: no answer */

    char body[64];
    snprintf(body, sizeof body, "slept %llu ms\n", (unsigned long long)ms);
    return respond(c, req, 200, NULL, body);
}

/* The router.  Returns true when the connection goes on. */
static bool handle(conn *c, const http1_request *req)
{
    http1_str path = req->path;
    if (req->form == HTTP1_FORM_ABSOLUTE && path.len == 0)
        path = (http1_str){ "/", 1 };  /* "GET http://host HTTP/1.1" */
    bool known = http1_str_eq(path, "/") || http1_str_eq(path, "/sleep");
    if (!known)
        return respond(c, req, 404, NULL, "404 page not found\n");
    if (req->method_id != HTTP1_METHOD_GET && req->method_id != HTTP1_METHOD_HEAD)
        return respond(c, req, 405, "Allow: GET, HEAD\r\n", "405 method not allowed\n");
    if (http1_str_eq(path, "/sleep"))
        return handle_sleep(c, req);
    return respond(c, req, 200, NULL, "hello from gort\n");
}

/* ---- One connection --------------------------------------------------------- */

/* Waits for the first bytes of the next request on an idle connection.
 * False when the connection should close: EOF, an error, the idle timeout,
 * or shutdown, which closes idle connections at once (the idle ctx is a
 * child of srv->stop). */
static bool wait_for_request(conn *c)
{
    server *s = c->srv;
    if (gort_ctx_err(s->stop))
        return false;
    gort_ctx *idle = gort_ctx_with_timeout(s->stop, s->cfg.idle_timeout);
    ssize_t r = gort_read(c->fd, c->buf, sizeof c->buf, idle);
    gort_ctx_unref(idle);
    if (r <= 0)
        return false;
    c->have = (size_t)r;
    return true;
}

/* Reads into buf (or junk) under the request's deadline, made on first use:
 * it runs from (about) the request's first byte, and it is a child of
 * srv->kill, not srv->stop: a request that has begun is in flight, and
 * shutdown lets it finish.  Returns what gort_read returns: the bytes read,
 * 0 at EOF, or a negative errno (-ETIMEDOUT: the deadline passed). */
static ssize_t read_request_bytes(conn *c, gort_ctx **deadline, void *buf, size_t n)
{
    if (*deadline == NULL)
        *deadline = gort_ctx_with_timeout(c->srv->kill, c->srv->cfg.request_timeout);
    return gort_read(c->fd, buf, n, *deadline);
}

/* Reads, answers and drops one request.  Returns true when the connection
 * goes on to the next one. */
static bool serve_request(conn *c)
{
    server *s = c->srv;
    http1_request req;
    gort_ctx *deadline = NULL;
    bool keep = false;
    ssize_t r;
    int n;

    /* 1. The head.  The parser keeps no state: call it from the buffer's start
     *    after every read (http1.h). */
    while ((n = http1_parse_request(c->buf, c->have, &req)) == HTTP1_INCOMPLETE) {
        if (c->have == 0) {            /* idle: no byte of a request yet */
            if (!wait_for_request(c))
                goto out;
            continue;
        }
        r = read_request_bytes(c, &deadline, c->buf + c->have, sizeof c->buf - c->have);
        if (r == -ETIMEDOUT)
            reply_error(c, 408, "request head not received in time");
        if (r <= 0)                    /* EOF or error mid-head, timeout, cut off */
            goto out;
        c->have += (size_t)r;
    }
    if (n < 0) {                       /* malformed or too large: 400, 431, ... */
        reply_error(c, n, req.error);
        goto out;
    }
    atomic_fetch_add(&s->in_flight, 1);

    /* 2. The body: these handlers take none, but it must be read to reach the
     *    next request.  Its first part may be in buf after the head; the rest
     *    is read into a scratch buffer, never past the body's end (a
     *    pipelined request may follow), so that buf still holds the head the
     *    slices in req point to. */
    size_t used = (size_t)n;
    if (req.content_length > MAX_BODY) {
        reply_error(c, 413, "request body over 1 MiB");
        goto done;
    }
    if (req.content_length > 0) {
        static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
        if (req.expect_continue && c->have - used < (size_t)req.content_length &&
            gort_write(c->fd, go_on, sizeof go_on - 1, s->kill) != (ssize_t)sizeof go_on - 1)
            goto done;
        size_t left = (size_t)req.content_length;
        size_t here = c->have - used < left ? c->have - used : left;
        used += here;
        left -= here;
        char junk[4096];
        while (left > 0) {
            r = read_request_bytes(c, &deadline, junk, left < sizeof junk ? left : sizeof junk);
            if (r == -ETIMEDOUT)
                reply_error(c, 408, "request body not received in time");
            if (r <= 0)
                goto done;
            left -= (size_t)r;
        }
    }

    /* 3. The answer. */
    keep = handle(c, &req);
    atomic_fetch_add(&s->requests, 1);

    /* 4. Drop the request, keep what follows it (pipelining). */
    memmove(c->buf, c->buf + used, c->have - used);
    c->have -= used;
done:
    atomic_fetch_sub(&s->in_flight, 1);
out:
    if (deadline)
        gort_ctx_unref(deadline);
    return keep;
}

/* The connection's goroutine: requests one after the other, then close. */
static void serve_conn(void *arg)
{
    conn *c = arg;
    server *s = c->srv;
    while (serve_request(c)) {
    }
    close(c->fd);
    free(c);
    atomic_fetch_sub(&s->open, 1);
    gort_wg_done(&s->conns);
}

/* ---- Listening, accepting, shutting down ------------------------------------ */

/* Binds 127.0.0.1:port (0: a free port; s->port is the one bound). */
static int server_init(server *s, int port, server_config cfg)
{
    memset(s, 0, sizeof *s);
    s->cfg = cfg;
    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->listen_fd < 0) {
        perror("http_server: socket");
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
        fprintf(stderr, "http_server: 127.0.0.1:%d: %s\n", port, strerror(errno));
        close(s->listen_fd);
        return -1;
    }
    s->port = ntohs(a.sin_port);
    s->stop = gort_ctx_with_cancel(gort_ctx_background());
    s->kill = gort_ctx_with_cancel(gort_ctx_background());
    return 0;
}

/* Begins a graceful shutdown (Go's srv.Shutdown); any goroutine, any thread,
 * more than once. */
static void server_shutdown(server *s)
{
    if (atomic_exchange(&s->stopping, 1))
        return;
    atomic_store(&s->in_flight_at_stop, atomic_load(&s->in_flight));
    gort_ctx_cancel(s->stop);
}

/* Ends the drain: every connection still open is cut off (its reads, writes
 * and sleeps return at once). */
static void server_cut_off(server *s)
{
    if (atomic_exchange(&s->killed, 1))
        return;
    atomic_store(&s->cut_off, atomic_load(&s->open));
    gort_ctx_cancel(s->kill);
}

/* The accept loop: one goroutine per connection, until shutdown. */
static void server_serve(server *s)
{
    for (;;) {
        int fd = gort_accept(s->listen_fd, NULL, NULL, s->stop);
        if (fd < 0) {
            int e = -fd;               /* the error, as a value */
            if (e == ECANCELED)        /* shutdown */
                break;
            if (e == ECONNABORTED || e == EINTR)
                continue;
            if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
                /* Out of descriptors or memory: wait for connections to end
                 * (Go's server backs off the same way) rather than spin. */
                gort_sleep(10 * MS);
                continue;
            }
            fprintf(stderr, "http_server: accept: %s\n", strerror(e));
            server_shutdown(s);
            break;
        }
        int one = 1;                   /* small answers go out at once, as in Go */
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conn *c = malloc(sizeof *c);
        if (c == NULL) {
            close(fd);
            continue;
        }
        c->srv = s;
        c->fd = fd;
        c->have = 0;
        atomic_fetch_add(&s->accepted, 1);
        atomic_fetch_add(&s->open, 1);
        gort_wg_add(&s->conns, 1);     /* before go: the drain must count it */
        gort_go(serve_conn, c);
    }
    close(s->listen_fd);               /* new connections are refused from here on */
}

typedef struct waiter { gort_waitgroup *wg; gort_chan *done; } waiter;

/* wg.Wait() made selectable: go func() { wg.Wait(); close(done) }() */
static void wait_then_close(void *arg)
{
    waiter *w = arg;
    gort_wg_wait(w->wg);
    gort_chan_close(w->done);
    gort_chan_unref(w->done);          /* this goroutine's own reference */
    free(w);
}

/* After server_serve has returned: waits for the connections to end, at most
 * drain_timeout; then cancels srv->kill, which ends every read, write and
 * sleep left at once, and waits for those goroutines too.  Prints the
 * summary line. */
static void server_drain(server *s)
{
    gort_chan *all_closed = gort_chan_make(0, 0);
    waiter *w = malloc(sizeof *w);
    *w = (waiter){ &s->conns, gort_chan_ref(all_closed) };
    gort_go(wait_then_close, w);

    gort_chan *deadline = gort_after(s->cfg.drain_timeout);
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

    printf("shutdown: %ld requests on %ld connections; %ld in flight at the signal, %ld cut off\n",
           atomic_load(&s->requests), atomic_load(&s->accepted),
           atomic_load(&s->in_flight_at_stop), atomic_load(&s->cut_off));
    fflush(stdout);
}

/* ---- Signals ---------------------------------------------------------------
 *
 * SIGINT and SIGTERM are blocked in every thread (main() blocks them before
 * the runtime starts its threads, which inherit the mask), so they stay
 * pending, and a signalfd turns them into a descriptor the goroutine below
 * reads with gort_read: it waits in the netpoller like any connection, and
 * holds no thread.  The alternatives: a handler may only set a flag (it
 * cannot cancel a context: not async-signal-safe), and sigwait() in a
 * goroutine would block its thread, so it would need a dedicated pthread
 * (which may then call gort_ctx_cancel: any thread may).
 *
 * A signalfd sees process-directed signals (kill(1), ^C, kill(getpid(), ..))
 * from any thread, but one sent to a single thread (raise(), pthread_kill)
 * only from that thread: the self-test uses kill(). */

static int signal_fd = -1;

static void signal_goroutine(void *arg)
{
    server *s = arg;
    for (int count = 1;; count++) {
        struct signalfd_siginfo si;
        ssize_t r = gort_read(signal_fd, &si, sizeof si, NULL);
        if (r != (ssize_t)sizeof si)
            return;
        const char *name = si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM";
        if (count == 1) {
            fprintf(stderr, "http_server: %s: shutting down (again to stop at once)\n", name);
            server_shutdown(s);
        } else {
            fprintf(stderr, "http_server: %s: cutting off the requests in flight\n", name);
            server_cut_off(s);
        }
    }
}

static void block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
}

/* ======================================================================== */
/* The self-test: clients in goroutines against a server in this process   */
/* ======================================================================== */

static server srv;                     /* the one server (also the self-test's) */
static gort_ctx *test_ctx;             /* every client call ends with it: a hang
                                          fails a check, not the whole test */
static atomic_int failures;

#define EXPECT(cond) ((cond) ? true : (expect_failed(#cond, __LINE__), false))

static void expect_failed(const char *what, int line)
{
    fprintf(stderr, "    failed (line %d): %s\n", line, what);
    atomic_fetch_add(&failures, 1);
}

typedef struct client {
    int fd;
    size_t have;
    char buf[4096 + 1];                /* + a NUL after the bytes */
} client;

typedef struct response {
    int status;
    long content_length;
    bool close;                        /* "Connection: close" */
    char body[256];
} response;

static bool client_open(client *cl)
{
    cl->have = 0;
    cl->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (cl->fd >= 0 && gort_connect(cl->fd, (struct sockaddr *)&a, sizeof a, test_ctx) == 0)
        return true;
    if (cl->fd >= 0)
        close(cl->fd);
    cl->fd = -1;
    return false;
}

static void client_close(client *cl)
{
    if (cl->fd >= 0)
        close(cl->fd);
    cl->fd = -1;
}

static bool client_send(client *cl, const char *data, size_t n)
{
    return gort_write(cl->fd, data, n, test_ctx) == (ssize_t)n;
}

static bool client_fill(client *cl)
{
    if (cl->have == sizeof cl->buf - 1)
        return false;
    ssize_t r = gort_read(cl->fd, cl->buf + cl->have, sizeof cl->buf - 1 - cl->have, test_ctx);
    if (r <= 0)
        return false;
    cl->have += (size_t)r;
    cl->buf[cl->have] = 0;
    return true;
}

/* Reads one response (no body for a HEAD request).  False on EOF, an error,
 * or something that is not a response. */
static bool client_read_response(client *cl, response *rsp, bool head_request)
{
    memset(rsp, 0, sizeof *rsp);
    rsp->content_length = -1;
    cl->buf[cl->have] = 0;
    char *end;
    while ((end = strstr(cl->buf, "\r\n\r\n")) == NULL)
        if (!client_fill(cl))
            return false;
    if (sscanf(cl->buf, "HTTP/1.1 %3d ", &rsp->status) != 1)
        return false;
    for (char *line = strstr(cl->buf, "\r\n") + 2; line < end; line = strstr(line, "\r\n") + 2) {
        if (strncasecmp(line, "Content-Length:", 15) == 0)
            rsp->content_length = strtol(line + 15, NULL, 10);
        else if (strncasecmp(line, "Connection: close\r\n", 19) == 0)
            rsp->close = true;
    }
    size_t head_len = (size_t)(end + 4 - cl->buf);
    size_t body_len = head_request || rsp->content_length < 0 ? 0 : (size_t)rsp->content_length;
    if (body_len >= sizeof rsp->body)
        return false;
    while (cl->have < head_len + body_len)
        if (!client_fill(cl))
            return false;
    memcpy(rsp->body, cl->buf + head_len, body_len);
    cl->have -= head_len + body_len;
    memmove(cl->buf, cl->buf + head_len + body_len, cl->have);
    cl->buf[cl->have] = 0;
    return true;
}

/* True when the server has closed the connection (and sent nothing more). */
static bool client_sees_eof(client *cl)
{
    char b;
    return cl->have == 0 && gort_read(cl->fd, &b, 1, test_ctx) == 0;
}

/* One request on an open connection; its response in *rsp. */
static bool client_get(client *cl, const char *target, response *rsp)
{
    char req[256];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: test\r\n\r\n", target);
    return client_send(cl, req, (size_t)n) && client_read_response(cl, rsp, false);
}

static bool is_hello(const response *r)
{
    return r->status == 200 && strcmp(r->body, "hello from gort\n") == 0 && !r->close;
}

static double ms_since(int64_t t0) { return (double)(gort_now() - t0) / MS; }

/* ---- The checks ---------------------------------------------------------- */

#define KA_CLIENTS  16
#define KA_REQUESTS 25

typedef struct ka_job { gort_waitgroup *wg; int ok; } ka_job;

static void keepalive_client(void *arg)
{
    ka_job *j = arg;
    client cl;
    if (client_open(&cl)) {
        for (int i = 0; i < KA_REQUESTS; i++) {
            response r;
            if (!client_get(&cl, "/", &r) || !is_hello(&r))
                break;
            j->ok++;
        }
        client_close(&cl);
    }
    gort_wg_done(j->wg);
}

/* 16 clients at once, 25 requests each, each on its own kept-alive connection. */
static void check_keepalive(void)
{
    gort_waitgroup wg = { 0 };
    ka_job jobs[KA_CLIENTS];
    long before = atomic_load(&srv.accepted);
    for (int i = 0; i < KA_CLIENTS; i++) {
        jobs[i] = (ka_job){ &wg, 0 };
        gort_wg_add(&wg, 1);
        gort_go(keepalive_client, &jobs[i]);
    }
    gort_wg_wait(&wg);
    int ok = 0;
    for (int i = 0; i < KA_CLIENTS; i++)
        ok += jobs[i].ok;
    EXPECT(ok == KA_CLIENTS * KA_REQUESTS);
    EXPECT(atomic_load(&srv.accepted) - before == KA_CLIENTS);   /* connections reused */
}

typedef struct sleep_job {
    gort_waitgroup *wg;
    const char *target;
    response rsp;
    bool got, eof_after;
    atomic_int done;
    double ms;
} sleep_job;

static void sleep_client(void *arg)
{
    sleep_job *j = arg;
    client cl;
    int64_t t0 = gort_now();
    if (client_open(&cl)) {
        j->got = client_get(&cl, j->target, &j->rsp);
        j->ms = ms_since(t0);
        atomic_store(&j->done, 1);
        j->eof_after = j->got && j->rsp.close && client_sees_eof(&cl);
        client_close(&cl);
    }
    atomic_store(&j->done, 1);
    gort_wg_done(j->wg);
}

static bool wait_for_sleepers(long n)
{
    for (int i = 0; i < 5000 && atomic_load(&srv.sleeping) < n; i++)
        gort_sleep(MS);
    return atomic_load(&srv.sleeping) >= n;
}

/* /sleep parks its goroutine: with GOMAXPROCS=1 a / request made while it
 * sleeps is answered at once, and 20 sleeps of 200 ms overlap. */
static void check_sleep_holds_no_thread(void)
{
    gort_waitgroup wg = { 0 };
    sleep_job j = { .wg = &wg, .target = "/sleep?ms=300" };
    gort_wg_add(&wg, 1);
    gort_go(sleep_client, &j);
    EXPECT(wait_for_sleepers(1));

    client cl;
    response r = { 0 };
    int64_t t0 = gort_now();
    EXPECT(client_open(&cl) && client_get(&cl, "/", &r) && is_hello(&r));
    double hello_ms = ms_since(t0);
    EXPECT(atomic_load(&j.done) == 0);        /* answered while /sleep still slept */
    client_close(&cl);
    gort_wg_wait(&wg);
    EXPECT(j.got && j.rsp.status == 200 && strcmp(j.rsp.body, "slept 300 ms\n") == 0);
    EXPECT(j.ms >= 299);
    printf("    GOMAXPROCS=%d: / answered in %.1f ms during a 300 ms /sleep (done in %.0f ms)\n",
           gort_gomaxprocs(0), hello_ms, j.ms);

    enum { N = 20 };
    sleep_job many[N];
    t0 = gort_now();
    for (int i = 0; i < N; i++) {
        many[i] = (sleep_job){ .wg = &wg, .target = "/sleep?ms=200" };
        gort_wg_add(&wg, 1);
        gort_go(sleep_client, &many[i]);
    }
    gort_wg_wait(&wg);
    double all_ms = ms_since(t0);
    int ok = 0;
    for (int i = 0; i < N; i++)
        ok += many[i].got && many[i].rsp.status == 200;
    EXPECT(ok == N);
    EXPECT(all_ms < 2000);                    /* one after the other: 4000 ms */
    printf("    %d concurrent /sleep?ms=200: all answered after %.0f ms\n", N, all_ms);
}

/* Sends raw bytes on a new connection, reads one response. */
static bool exchange(client *cl, const char *data, size_t n, response *r)
{
    return client_open(cl) && client_send(cl, data, n) && client_read_response(cl, r, false);
}

/* Malformed requests: 400 and the connection closed.  A bad query for
 * /sleep is the handler's 400: the connection stays. */
static void check_bad_requests(void)
{
    static const char *const bad[] = {
        "GET / HTTP/1.1\r\nHost: test\r\nBad Header\r\n\r\n",        /* no colon */
        "GET / HTTP/1.1\r\n\r\n",                                   /* no Host */
        "\x16\x03\x01\x02\x31\x01\xfc\x03\x03\r\n\r\n",             /* TLS, not HTTP */
        "GET / HTTP/1.1\r\nHost: test\r\nContent-Length: 1x\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        client cl;
        response r = { 0 };
        EXPECT(exchange(&cl, bad[i], strlen(bad[i]), &r));
        EXPECT(r.status == 400 && r.close && strncmp(r.body, "400 Bad Request", 15) == 0);
        EXPECT(client_sees_eof(&cl));
        client_close(&cl);
    }

    client cl;
    response r = { 0 };
    EXPECT(client_open(&cl) && client_get(&cl, "/sleep?ms=abc", &r));
    EXPECT(r.status == 400 && !r.close);
    EXPECT(client_get(&cl, "/", &r) && is_hello(&r));
    client_close(&cl);
}

/* A head over 8 KiB: 431; a body over 1 MiB: 413; the connection closed,
 * and the answer not lost to an RST (see linger_close). */
static void check_oversized(void)
{
    static char big[HTTP1_MAX_HEAD_BYTES + 1000];
    int n = snprintf(big, sizeof big, "GET / HTTP/1.1\r\nHost: test\r\nX-Big: ");
    memset(big + n, 'a', sizeof big - (size_t)n);
    client cl;
    response r = { 0 };
    EXPECT(exchange(&cl, big, sizeof big, &r));
    EXPECT(r.status == 431 && r.close);
    EXPECT(client_sees_eof(&cl));
    client_close(&cl);

    static const char huge_body[] = "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 2000000\r\n\r\n";
    EXPECT(exchange(&cl, huge_body, sizeof huge_body - 1, &r));
    EXPECT(r.status == 413 && r.close);
    EXPECT(client_sees_eof(&cl));
    client_close(&cl);
}

/* Six requests in one write, answered in order; HEAD gets no body; a body
 * is skipped; "Connection: close" closes.  Then a 20,000-byte body sent in
 * pieces, followed by another request on the same connection. */
static void check_pipelining(void)
{
    static const char reqs[] =
        "GET / HTTP/1.1\r\nHost: test\r\n\r\n"
        "HEAD / HTTP/1.1\r\nHost: test\r\n\r\n"
        "GET /nope HTTP/1.1\r\nHost: test\r\n\r\n"
        "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello"
        "GET /sleep?ms=10 HTTP/1.1\r\nHost: test\r\n\r\n"
        "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    client cl;
    response r = { 0 };
    EXPECT(exchange(&cl, reqs, sizeof reqs - 1, &r) && is_hello(&r));
    EXPECT(client_read_response(&cl, &r, true));
    EXPECT(r.status == 200 && r.content_length == 16 && !r.close);
    EXPECT(client_read_response(&cl, &r, false) && r.status == 404);
    EXPECT(client_read_response(&cl, &r, false) && r.status == 405);
    EXPECT(client_read_response(&cl, &r, false) && r.status == 200);
    EXPECT(strcmp(r.body, "slept 10 ms\n") == 0);
    EXPECT(client_read_response(&cl, &r, false) && r.status == 200 && r.close);
    EXPECT(client_sees_eof(&cl));
    client_close(&cl);

    static const char head[] = "POST /sleep HTTP/1.1\r\nHost: test\r\nContent-Length: 20000\r\n\r\n";
    static char body[20000];
    memset(body, 'b', sizeof body);
    EXPECT(client_open(&cl) && client_send(&cl, head, sizeof head - 1));
    for (size_t off = 0; off < sizeof body; off += 4000)
        EXPECT(client_send(&cl, body + off, 4000));
    EXPECT(client_read_response(&cl, &r, false) && r.status == 405 && !r.close);
    EXPECT(client_get(&cl, "/", &r) && is_hello(&r));
    client_close(&cl);
}

/* Deadlines (the self-test's: 300 ms per request, 1 s idle): half a head is
 * answered 408; a connection that sends nothing is closed. */
static void check_deadlines(void)
{
    static const char half[] = "GET / HTTP/1.1\r\nHost: te";
    client cl;
    response r = { 0 };
    int64_t t0 = gort_now();
    EXPECT(exchange(&cl, half, sizeof half - 1, &r));
    EXPECT(r.status == 408 && r.close);
    EXPECT(ms_since(t0) >= 250);
    EXPECT(client_sees_eof(&cl));
    client_close(&cl);

    t0 = gort_now();
    EXPECT(client_open(&cl) && client_sees_eof(&cl));
    EXPECT(ms_since(t0) >= 900);
    client_close(&cl);
}

/* SIGTERM while a /sleep?ms=500 is in flight and another connection is idle:
 * the idle one is closed at once, the sleep is answered (with "Connection:
 * close"), new connections are refused, the server ends with nothing cut
 * off.  The signal takes the real path: kill() -> signalfd -> the signal
 * goroutine -> server_shutdown. */
static gort_chan *server_done;         /* closed when server_serve and _drain are over */

static void check_graceful_shutdown(void)
{
    client idle;
    response r = { 0 };
    EXPECT(client_open(&idle) && client_get(&idle, "/", &r) && is_hello(&r));

    gort_waitgroup wg = { 0 };
    sleep_job j = { .wg = &wg, .target = "/sleep?ms=500" };
    gort_wg_add(&wg, 1);
    gort_go(sleep_client, &j);
    EXPECT(wait_for_sleepers(1));

    EXPECT(kill(getpid(), SIGTERM) == 0);
    EXPECT(client_sees_eof(&idle));           /* idle: closed at once */
    EXPECT(atomic_load(&j.done) == 0);
    client_close(&idle);

    gort_wg_wait(&wg);                        /* in flight: answered */
    EXPECT(j.got && j.rsp.status == 200 && strcmp(j.rsp.body, "slept 500 ms\n") == 0);
    EXPECT(j.rsp.close && j.eof_after);

    gort_case cases[2] = {
        { .dir = GORT_RECV, .ch = server_done },
        { .dir = GORT_RECV, .ch = gort_ctx_done(test_ctx) },
    };
    EXPECT(gort_select(cases, 2, true) == 0);  /* the server has ended */
    client late;
    EXPECT(!client_open(&late));              /* refused */
    EXPECT(atomic_load(&srv.in_flight_at_stop) == 1 && atomic_load(&srv.cut_off) == 0);
}

/* ---- Running them ----------------------------------------------------------- */

static void server_goroutine(void *arg)
{
    gort_chan *done = arg;
    server_serve(&srv);
    server_drain(&srv);
    gort_chan_close(done);
    gort_chan_unref(done);
}

static int checks_run;

static void run_check(const char *name, void (*fn)(void))
{
    int before = atomic_load(&failures);
    fn();
    checks_run++;
    printf("%s %s\n", atomic_load(&failures) == before ? "ok  " : "FAIL", name);
    fflush(stdout);
}

static int self_test(bool procs_given)
{
    /* The /sleep check means most with one processor: were a sleep to hold
     * the thread, nothing else could run. */
    if (!procs_given)
        gort_gomaxprocs(1);
    server_config cfg = { .idle_timeout = 1 * SEC, .request_timeout = 300 * MS,
                          .drain_timeout = 5 * SEC };
    if (server_init(&srv, 0, cfg) < 0)
        return 1;
    printf("listening on 127.0.0.1:%d\n", srv.port);
    test_ctx = gort_ctx_with_timeout(gort_ctx_background(), 30 * SEC);

    server_done = gort_chan_make(0, 0);
    gort_go(signal_goroutine, &srv);
    gort_go(server_goroutine, gort_chan_ref(server_done));

    run_check("keep-alive: 16 concurrent clients x 25 requests", check_keepalive);
    run_check("/sleep holds no thread", check_sleep_holds_no_thread);
    run_check("malformed requests: 400 and close", check_bad_requests);
    run_check("oversized head: 431, body: 413, and close", check_oversized);
    run_check("pipelining, HEAD, 404, 405, request bodies", check_pipelining);
    run_check("deadlines: 408 for a slow head, idle connections closed", check_deadlines);
    run_check("SIGTERM: idle closed, in-flight /sleep answered, then refused",
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
    fprintf(stderr, "usage: http_server [--port N] [--procs N] [--self-test]\n");
    return 2;
}

static int run(int argc, char **argv)
{
    int port = 8080, procs = 0;
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
        return self_test(procs > 0);

    if (server_init(&srv, port, default_config) < 0)
        return 1;
    printf("listening on 127.0.0.1:%d\n", srv.port);
    fflush(stdout);
    gort_go(signal_goroutine, &srv);
    server_serve(&srv);                /* until SIGINT or SIGTERM */
    server_drain(&srv);
    return 0;
}

int main(int argc, char **argv)
{
    /* Before the runtime starts any thread (see "Signals" above). */
    sigset_t set;
    block_signals(&set);
    signal_fd = signalfd(-1, &set, SFD_CLOEXEC);
    if (signal_fd < 0) {
        perror("http_server: signalfd");
        return 1;
    }
    /* A write to a client that has gone must fail with EPIPE, not kill the
     * process; the runtime leaves SIGPIPE as it is (a library should not
     * change a process-wide setting), so the program ignores it. */
    signal(SIGPIPE, SIG_IGN);
    return gort_main(run, argc, argv);
}
