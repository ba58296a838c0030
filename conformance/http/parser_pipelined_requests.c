// Pipelined requests in one buffer are taken one at a time, the way a
// server loop does it: parse, take the body (Content-Length bytes) after the
// head, drop both from the buffer, parse again.  Checks each request's
// method, path, body and keep-alive, that the last request's Connection:
// close ends the loop, and that the loop also works when the bytes arrive
// in small reads (the partial head or body at the end of one read waits for
// the next).
#include "http_test.h"

static const char stream[] =
    "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
    "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world"
    "\r\n"                                       /* a stray CRLF after a body: skipped */
    "PUT /three?x=1 HTTP/1.1\nHost: h\nContent-Length: 0\n\n"
    "POST /four HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc";

static const struct { const char *method, *path, *body; bool keep_alive; } want[] = {
    { "GET", "/one", "", true },
    { "POST", "/two", "hello world", true },
    { "PUT", "/three", "", true },
    { "POST", "/four", "abc", false },
};
#define NWANT (sizeof want / sizeof want[0])

/* Serves `stream`, delivering it `step` bytes per read; returns the number
 * of requests seen. */
static size_t serve(size_t step)
{
    char buf[HTTP1_MAX_HEAD_BYTES];
    size_t have = 0, sent = 0, seen = 0;
    size_t total = sizeof stream - 1;
    http1_request req;
    for (;;) {
        int n = http1_parse_request(buf, have, &req);
        CHECK_MSG(n >= 0, "step %zu: request %zu: error %d (%s)", step, seen, n, req.error);
        if (n == 0) {
            if (sent == total) break;
            size_t r = total - sent < step ? total - sent : step;
            CHECK(have + r <= sizeof buf);
            memcpy(buf + have, stream + sent, r);
            have += r;
            sent += r;
            continue;
        }
        size_t body = req.content_length > 0 ? (size_t)req.content_length : 0;
        while (have < (size_t)n + body) {                 /* read the rest of the body */
            CHECK(sent < total);
            size_t r = total - sent < step ? total - sent : step;
            memcpy(buf + have, stream + sent, r);
            have += r;
            sent += r;
        }
        CHECK_LT_INT(seen, NWANT);
        CHECK_STR(req.method, want[seen].method);
        CHECK_STR(req.path, want[seen].path);
        http1_str b = { buf + n, body };
        CHECK_STR(b, want[seen].body);
        CHECK_EQ_INT(req.keep_alive, want[seen].keep_alive);
        seen++;
        size_t used = (size_t)n + body;
        memmove(buf, buf + used, have - used);
        have -= used;
        if (!req.keep_alive) break;
    }
    CHECK_EQ_U64(have, 0);
    CHECK_EQ_U64(sent, total);
    return seen;
}

int main(void)
{
    for (size_t step = 1; step <= sizeof stream; step++)
        CHECK_EQ_U64(serve(step), NWANT);

    /* Without the final Connection: close the loop ends at EOF, between
     * requests, with nothing left over. */
    http1_request req;
    const char *two = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n";
    int n = parse_cstr(two, &req);
    CHECK_EQ_INT(n, (int)strlen(two) / 2);
    CHECK_STR(req.path, "/a");
    CHECK_PARSE(two + n, &req, n);
    CHECK_STR(req.path, "/b");
    CHECK_PARSE(two + 2 * n, &req, 0);
    return 0;
}
