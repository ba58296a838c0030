// Feeding a request one byte at a time (each prefix in a buffer of exactly
// that size, so that a read past the end shows under ASan and Valgrind)
// gives 0 until the head is complete and then exactly the result of parsing
// it in one piece; a malformed request gives 0 and then, from the byte that
// shows the fault on, always the same error.  Also: every split of the input
// into two reads, and more bytes after a complete head, change nothing.
#include "http_test.h"

/* want: 0 for a complete head followed by `tail` more bytes, else the error */
static const struct {
    const char *in;
    int         want;
    size_t      tail;
} cases[] = {
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0, 0 },
    { "POST /form?a=b HTTP/1.1\r\nHost: x.y\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello", 0, 5 },
    { "GET / HTTP/1.0\nConnection: keep-alive\n\n", 0, 0 },
    { "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 0, 0 },
    { "GET /a HTTP/1.1\r\nHost: a\r\nX: 1\r\n\n", 0, 0 },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n", 0, 16 },
    { "GET / HTTP/1.1\r\nHost : a\r\n\r\n", HTTP1_BAD_REQUEST, 0 },
    { "GET / HTTP/1.1\r\nX: a\r\n  folded\r\nHost: a\r\n\r\n", HTTP1_BAD_REQUEST, 0 },
    { "GET / HTTP/2.0\r\n\r\n", HTTP1_VERSION_NOT_SUPPORTED, 0 },
    { "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nHost: a\r\n\r\n0\r\n\r\n", HTTP1_NOT_IMPLEMENTED, 0 },
    { "GET / HTTP/1.1\r\n\r\n", HTTP1_BAD_REQUEST, 0 },
    { "G\x01T / HTTP/1.1\r\nHost: a\r\n\r\n", HTTP1_BAD_REQUEST, 0 },
    { "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", HTTP1_BAD_REQUEST, 0 },
};

static void check_case(const char *in, size_t len, int want)
{
    http1_request whole, part;
    int full = http1_parse_request(in, len, &whole);
    CHECK_MSG(full == want, "\"%s\": got %d (%s), want %d", in, full,
              whole.error ? whole.error : "-", want);

    int first_error_at = -1;
    for (size_t k = 0; k <= len; k++) {
        char *b = k ? malloc(k) : NULL;
        CHECK(k == 0 || b != NULL);
        if (k) memcpy(b, in, k);
        int r = http1_parse_request(b, k, &part);
        if (want > 0) {
            if (k < (size_t)want) {
                CHECK_MSG(r == 0, "\"%s\" prefix %zu: got %d (%s), want 0", in, k, r,
                          part.error ? part.error : "-");
            } else {
                CHECK_MSG(r == want, "\"%s\" prefix %zu: got %d, want %d", in, k, r, want);
                CHECK_MSG(same_request(&whole, in, &part, b), "\"%s\" prefix %zu differs", in, k);
            }
        } else {
            if (first_error_at < 0) {
                CHECK_MSG(r == 0 || r == want, "\"%s\" prefix %zu: got %d, want 0 or %d", in, k, r, want);
                if (r == want) first_error_at = (int)k;
            } else {
                CHECK_MSG(r == want, "\"%s\" prefix %zu: error %d, then %d", in, k, want, r);
                CHECK(strcmp(part.error, whole.error) == 0);
            }
        }
        free(b);
    }
    if (want < 0) CHECK_GE_INT(first_error_at, 1);

    /* Two reads into one buffer, split anywhere: the parse after the second
     * read is the one-piece result (the parser has no state to get wrong). */
    char *buf = malloc(len + 1);
    CHECK(buf != NULL);
    for (size_t split = 0; split <= len; split++) {
        memcpy(buf, in, split);
        int r1 = http1_parse_request(buf, split, &part);
        if (want > 0 && split < (size_t)want) CHECK_EQ_INT(r1, 0);
        memcpy(buf + split, in + split, len - split);
        int r2 = http1_parse_request(buf, len, &part);
        CHECK_EQ_INT(r2, want);
        CHECK(same_request(&whole, in, &part, buf));
    }
    free(buf);
}

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].in);
        check_case(cases[i].in, len, cases[i].want ? cases[i].want : (int)(len - cases[i].tail));
    }

    /* A NUL inside a header value, and a long request read in 1..7-byte steps. */
    static const char nul[] = "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n";
    check_case(nul, sizeof nul - 1, HTTP1_BAD_REQUEST);

    char big[4096];
    size_t n = (size_t)snprintf(big, sizeof big, "GET /big HTTP/1.1\r\nHost: h\r\n");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "X-Header-%02d: value %d with some text\r\n", i, i);
    n += (size_t)snprintf(big + n, sizeof big - n, "\r\n");
    http1_request req, r2;
    CHECK_EQ_INT(http1_parse_request(big, n, &req), (int)n);
    CHECK_EQ_U64(req.num_headers, 41);
    uint64_t seed = 42;
    for (size_t have = 0; have < n;) {
        CHECK_EQ_INT(http1_parse_request(big, have, &r2), 0);
        have += 1 + rand_next(&seed) % 7;
        if (have > n) have = n;
        if (have == n) {
            CHECK_EQ_INT(http1_parse_request(big, have, &r2), (int)n);
            CHECK(same_request(&req, big, &r2, big));
        }
    }
    return 0;
}
