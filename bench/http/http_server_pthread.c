/*
 * http_server_pthread.c — the thread-per-connection baseline of the HTTP
 * benchmark: examples/http_server.c without gort.  Plain C, pthreads and
 * blocking system calls, one OS thread per connection; the same parser
 * (examples/http/http1.c), the same routes and the same bytes on the wire:
 *
 *   GET /              "hello from gort\n"
 *   GET /sleep?ms=N    sleeps N ms (at most 10000), holding its thread
 *   other paths        404; methods other than GET and HEAD: 405
 *   bad requests       400/413/431/... from http1_format_error, then close
 *
 *   http_server_pthread [--port N]    127.0.0.1:N (default 8081; 0: any
 *                                     free port); prints
 *                                     "listening on 127.0.0.1:PORT"
 *
 * What differs from the gort server, on purpose or for simplicity:
 *  - a thread per connection, created at accept and detached (128 KiB
 *    stacks); /sleep blocks that thread, which is what the comparison is about;
 *  - deadlines are SO_RCVTIMEO, set once per connection: each read waits at
 *    most 10 s (the gort server: 30 s idle, then 10 s for the whole request);
 *  - no graceful shutdown: SIGINT and SIGTERM end the process at once.
 *
 * Built by bench/http/CMakeLists.txt as target http_server_pthread, or by
 * hand:
 *   cc -O2 -pthread -Iexamples/http bench/http/http_server_pthread.c \
 *      examples/http/http1.c -o http_server_pthread
 */
#define _GNU_SOURCE                    /* accept4 */
#include "http1.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SLEEP_MS 10000
#define MAX_BODY     (1 << 20)
#define READ_TIMEOUT_S 10

typedef struct conn {
    int fd;
    size_t have;
    char buf[HTTP1_MAX_HEAD_BYTES];
} conn;

static ssize_t read_some(int fd, void *buf, size_t n)
{
    for (;;) {
        ssize_t r = recv(fd, buf, n, 0);
        if (r >= 0 || errno != EINTR)
            return r;               /* EAGAIN: SO_RCVTIMEO expired */
    }
}

static bool write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* FIN, then drop what the client still sends for up to 500 ms, so that an
 * RST does not destroy the answer (see linger_close in http_server.c). */
static void linger_close(conn *c)
{
    shutdown(c->fd, SHUT_WR);
    struct timeval tv = { 0, 500000 };
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char junk[4096];
    for (int i = 0; i < 64; i++)
        if (read_some(c->fd, junk, sizeof junk) <= 0)
            break;
}

static void reply_error(conn *c, int err, const char *detail)
{
    char out[512];
    int m = http1_format_error(out, sizeof out, err, detail);
    if (m > 0 && write_all(c->fd, out, (size_t)m))
        linger_close(c);
}

static bool respond(conn *c, const http1_request *req, int status, const char *extra,
                    const char *body)
{
    bool keep = req->keep_alive;
    char out[1024];
    int m = http1_format_text_response(req, out, sizeof out, status, extra, body, keep);
    if (m < 0)
        return false;
    size_t n = (size_t)m;
    if (!write_all(c->fd, out, n))
        return false;
    if (!keep)
        linger_close(c);
    return keep;
}

static bool handle_sleep(conn *c, const http1_request *req)
{
    http1_str v;
    uint64_t ms;
    if (!http1_query_get(req->query, "ms", &v) || !http1_parse_uint(v, UINT64_MAX, &ms))
        return respond(c, req, 400, NULL, "400 bad request: want /sleep?ms=N\n");
    if (ms > MAX_SLEEP_MS)
        ms = MAX_SLEEP_MS;
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
    char body[64];
    snprintf(body, sizeof body, "slept %llu ms\n", (unsigned long long)ms);
    return respond(c, req, 200, NULL, body);
}

static bool handle(conn *c, const http1_request *req)
{
    http1_str path = req->path;
    if (req->form == HTTP1_FORM_ABSOLUTE && path.len == 0)
        path = (http1_str){ "/", 1 };
    bool known = http1_str_eq(path, "/") || http1_str_eq(path, "/sleep");
    if (!known)
        return respond(c, req, 404, NULL, "404 page not found\n");
    if (req->method_id != HTTP1_METHOD_GET && req->method_id != HTTP1_METHOD_HEAD)
        return respond(c, req, 405, "Allow: GET, HEAD\r\n", "405 method not allowed\n");
    if (http1_str_eq(path, "/sleep"))
        return handle_sleep(c, req);
    return respond(c, req, 200, NULL, "hello from gort\n");
}

/* One request: the same steps as serve_request in http_server.c. */
static bool serve_request(conn *c)
{
    http1_request req;
    ssize_t r;
    int n;
    while ((n = http1_parse_request(c->buf, c->have, &req)) == HTTP1_INCOMPLETE) {
        r = read_some(c->fd, c->buf + c->have, sizeof c->buf - c->have);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && c->have > 0)
            reply_error(c, 408, "request head not received in time");
        if (r <= 0)
            return false;
        c->have += (size_t)r;
    }
    if (n < 0) {
        reply_error(c, n, req.error);
        return false;
    }
    size_t used = (size_t)n;
    if (req.content_length > MAX_BODY) {
        reply_error(c, 413, "request body over 1 MiB");
        return false;
    }
    if (req.content_length > 0) {
        static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
        if (req.expect_continue && c->have - used < (size_t)req.content_length &&
            !write_all(c->fd, go_on, sizeof go_on - 1))
            return false;
        size_t left = (size_t)req.content_length;
        size_t here = c->have - used < left ? c->have - used : left;
        used += here;
        left -= here;
        char junk[4096];
        while (left > 0) {
            r = read_some(c->fd, junk, left < sizeof junk ? left : sizeof junk);
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                reply_error(c, 408, "request body not received in time");
            if (r <= 0)
                return false;
            left -= (size_t)r;
        }
    }
    bool keep = handle(c, &req);
    memmove(c->buf, c->buf + used, c->have - used);
    c->have -= used;
    return keep;
}

static void *serve_conn(void *arg)
{
    conn *c = arg;
    while (serve_request(c)) {
    }
    close(c->fd);
    free(c);
    return NULL;
}

int main(int argc, char **argv)
{
    int port = 8081;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            port = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: http_server_pthread [--port N]\n");
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof a;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 1024) < 0 ||
        getsockname(lfd, (struct sockaddr *)&a, &alen) < 0) {
        fprintf(stderr, "http_server_pthread: 127.0.0.1:%d: %s\n", port, strerror(errno));
        return 1;
    }
    printf("listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
    fflush(stdout);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 128 * 1024);
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                usleep(10000);
            } else if (errno != EINTR && errno != ECONNABORTED) {
                perror("http_server_pthread: accept");
                return 1;
            }
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct timeval tv = { READ_TIMEOUT_S, 0 };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        conn *c = malloc(sizeof *c);
        pthread_t th;
        if (c == NULL) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->have = 0;
        if (pthread_create(&th, &attr, serve_conn, c) != 0) {
            close(fd);                 /* out of threads: drop the connection */
            free(c);
            usleep(10000);
        }
    }
}
