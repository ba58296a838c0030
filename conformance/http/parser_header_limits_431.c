// The head limits answer 431: a head of exactly HTTP1_MAX_HEAD_BYTES bytes
// parses, one byte more is 431; a buffer of HTTP1_MAX_HEAD_BYTES bytes with
// no complete head is 431 (one byte less is still "need more"), also when
// the request line alone is that long or no LF comes at all; 64 header
// fields parse, 65 are 431.  A syntax error within the limit wins over the
// size (it is seen first).  The parser never looks past the limit.
#include "http_test.h"

/* A request with one big X-Pad header whose head is exactly `total` bytes. */
static size_t make_head(char *buf, size_t cap, size_t total)
{
    const char *pre = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ";
    size_t pl = strlen(pre);
    CHECK(total >= pl + 4 && total <= cap);
    memcpy(buf, pre, pl);
    size_t pad = total - pl - 4;
    memset(buf + pl, 'p', pad);
    memcpy(buf + pl + pad, "\r\n\r\n", 4);
    return total;
}

int main(void)
{
    enum { MAX = HTTP1_MAX_HEAD_BYTES };
    static char buf[3 * MAX];
    http1_request req;

    size_t n = make_head(buf, sizeof buf, MAX);
    CHECK_EQ_INT(http1_parse_request(buf, n, &req), MAX);
    CHECK_EQ_INT(http1_parse_request(buf, sizeof buf, &req), MAX);  /* more bytes after it */
    CHECK_EQ_INT(http1_parse_request(buf, n - 1, &req), 0);

    n = make_head(buf, sizeof buf, MAX + 1);
    CHECK_EQ_INT(http1_parse_request(buf, n, &req), HTTP1_HEADERS_TOO_LARGE);
    CHECK(strcmp(req.error, "request header too large") == 0);
    CHECK_EQ_INT(http1_parse_request(buf, MAX, &req), HTTP1_HEADERS_TOO_LARGE);
    CHECK_EQ_INT(http1_parse_request(buf, MAX - 1, &req), 0);

    /* LF-only line ends: the same limit. */
    n = make_head(buf, sizeof buf, MAX + 2);
    buf[n - 4] = '\n';
    buf[n - 3] = '\n';
    CHECK_EQ_INT(http1_parse_request(buf, n - 2, &req), MAX);

    /* A request line as long as the limit, and bytes with no LF at all: the
     * parser reads no further than MAX (the bytes after it would be a fault). */
    memset(buf, 'a', sizeof buf);
    memcpy(buf, "GET /", 5);
    CHECK_EQ_INT(http1_parse_request(buf, MAX - 1, &req), 0);
    CHECK_EQ_INT(http1_parse_request(buf, MAX, &req), HTTP1_HEADERS_TOO_LARGE);
    const char *tail = " HTTP/1.1\r\nHost: h\r\n\r\n";
    memcpy(buf + MAX, tail, strlen(tail));
    CHECK_EQ_INT(http1_parse_request(buf, MAX + strlen(tail), &req), HTTP1_HEADERS_TOO_LARGE);
    memset(buf, 0, sizeof buf);
    CHECK_EQ_INT(http1_parse_request(buf, MAX - 1, &req), 0);
    CHECK_EQ_INT(http1_parse_request(buf, sizeof buf, &req), HTTP1_HEADERS_TOO_LARGE);

    /* ...but a complete bad line before the limit is a 400. */
    memset(buf, 'a', sizeof buf);
    const char *bad = "GET / HTTP/1.1\r\nBad Header: x\r\n";
    memcpy(buf, bad, strlen(bad));
    CHECK_EQ_INT(http1_parse_request(buf, sizeof buf, &req), HTTP1_BAD_REQUEST);

    /* Header count. */
    for (int count = HTTP1_MAX_HEADERS - 1; count <= HTTP1_MAX_HEADERS + 2; count++) {
        size_t len = (size_t)snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 1; i < count; i++)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "X-%d: %d\r\n", i, i);
        len += (size_t)snprintf(buf + len, sizeof buf - len, "\r\n");
        int r = http1_parse_request(buf, len, &req);
        if (count <= HTTP1_MAX_HEADERS) {
            CHECK_EQ_INT(r, (int)len);
            CHECK_EQ_U64(req.num_headers, (size_t)count);
            char last[16];
            snprintf(last, sizeof last, "%d", count - 1);
            CHECK_STR(req.headers[count - 1].value, count > 1 ? last : "h");
        } else {
            CHECK_EQ_INT(r, HTTP1_HEADERS_TOO_LARGE);
            CHECK(strcmp(req.error, "too many header fields") == 0);
        }
    }

    /* The 431 answer. */
    char out[256];
    CHECK_GT_INT(http1_format_error(out, sizeof out, HTTP1_HEADERS_TOO_LARGE, NULL), 0);
    CHECK(strncmp(out, "HTTP/1.1 431 Request Header Fields Too Large\r\n", 46) == 0);
    CHECK_STR_CONTAINS(out, "\r\n\r\n431 Request Header Fields Too Large");
    return 0;
}
