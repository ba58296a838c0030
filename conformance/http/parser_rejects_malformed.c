// Malformed requests are rejected with the right error, each in a table row
// (input, expected error, the reason text it must give): request-line faults
// (spacing, method, version, target), header faults (space before the
// colon, obs-fold, empty name, no colon, control characters, bare CR), Host
// rules (missing on HTTP/1.1, repeated, bad bytes), HTTP/x.y with x != 1
// (505), Transfer-Encoding (501 on HTTP/1.1, 400 with Content-Length or on
// HTTP/1.0), and unknown Expect (417).  Every error is also answered by
// http1_format_error with the matching status line and Connection: close.
#include "http_test.h"

#define H "Host: h\r\n"

static const struct { const char *in; size_t len; int want; const char *why; } cases[] = {
#define ROW(s, w, y) { s, sizeof(s) - 1, w, y }
    /* request line */
    ROW("GET\r\n\r\n", HTTP1_BAD_REQUEST, "malformed request line"),
    ROW("GET /\r\n\r\n", HTTP1_BAD_REQUEST, "malformed request line"),
    ROW("\r\n\r\nGET / HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed request line"),
    ROW(" GET / HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid method"),
    ROW("GET  / HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed HTTP version"),
    ROW("GET /  HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed HTTP version"),
    ROW("GET / HTTP/1.1 \r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed HTTP version"),
    ROW("GET\t/ HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed request line"),
    ROW("GET /\tHTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed request line"),
    ROW("G(T / HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid method"),
    ROW("G\xc3\xa9T / HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid method"),
    ROW("GET / HTTP/1.1\r\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed HTTP version"),
    ROW("GET / http/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed HTTP version"),
    ROW("GET / HTTP/1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed HTTP version"),
    ROW("GET / HTTP/1.10\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed HTTP version"),
    ROW("GET / HTTP/1,1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed HTTP version"),
    ROW("GET / HTTP/01.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed HTTP version"),
    ROW("GET / HTTPS/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "malformed HTTP version"),
    ROW("GET / HTTP/2.0\r\n" H "\r\n", HTTP1_VERSION_NOT_SUPPORTED, "unsupported protocol version"),
    ROW("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", HTTP1_VERSION_NOT_SUPPORTED, "unsupported protocol version"),
    ROW("GET / HTTP/0.9\r\n\r\n", HTTP1_VERSION_NOT_SUPPORTED, "unsupported protocol version"),
    ROW("GET / HTTP/9.9\r\n\r\n", HTTP1_VERSION_NOT_SUPPORTED, "unsupported protocol version"),
    /* request target */
    ROW("GET index.html HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    ROW("GET * HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "request target * is for OPTIONS only"),
    ROW("OPTIONS ** HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    ROW("GET /a\x01 HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    ROW("GET /a\x7f HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    ROW("GET /a\rb HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    ROW("GET /a\0b HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    ROW("GET http:/x HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    ROW("GET http:///x HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    ROW("GET 1http://h/ HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    ROW("GET http://h<x>/ HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    ROW("CONNECT h/x:443 HTTP/1.1\r\n" H "\r\n", HTTP1_BAD_REQUEST, "invalid request target"),
    /* header lines */
    ROW("GET / HTTP/1.1\r\nHost : h\r\n\r\n", HTTP1_BAD_REQUEST, "invalid header name"),
    ROW("GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", HTTP1_BAD_REQUEST, "invalid header name"),
    ROW("GET / HTTP/1.1\r\n" H "X Y: z\r\n\r\n", HTTP1_BAD_REQUEST, "invalid header name"),
    ROW("GET / HTTP/1.1\r\n" H "X\"Y: z\r\n\r\n", HTTP1_BAD_REQUEST, "invalid header name"),
    ROW("GET / HTTP/1.1\r\n" H "X\x80: z\r\n\r\n", HTTP1_BAD_REQUEST, "invalid header name"),
    ROW("GET / HTTP/1.1\r\n" H ": z\r\n\r\n", HTTP1_BAD_REQUEST, "empty header name"),
    ROW("GET / HTTP/1.1\r\n" H "NoColon\r\n\r\n", HTTP1_BAD_REQUEST, "malformed header line (no colon)"),
    ROW("GET / HTTP/1.1\r\n" H "X: a\r\n b\r\n\r\n", HTTP1_BAD_REQUEST, "obs-fold (header line starting with whitespace)"),
    ROW("GET / HTTP/1.1\r\n" H "X: a\r\n\tb\r\n\r\n", HTTP1_BAD_REQUEST, "obs-fold (header line starting with whitespace)"),
    ROW("GET / HTTP/1.1\r\n " H "\r\n", HTTP1_BAD_REQUEST, "whitespace before the first header field"),
    ROW("GET / HTTP/1.1\r\n" H " \r\n\r\n", HTTP1_BAD_REQUEST, "obs-fold (header line starting with whitespace)"),
    ROW("GET / HTTP/1.1\r\n" H "X: a\x01z\r\n\r\n", HTTP1_BAD_REQUEST, "invalid header value"),
    ROW("GET / HTTP/1.1\r\n" H "X: a\0z\r\n\r\n", HTTP1_BAD_REQUEST, "invalid header value"),
    ROW("GET / HTTP/1.1\r\n" H "X: a\x7fz\r\n\r\n", HTTP1_BAD_REQUEST, "invalid header value"),
    ROW("GET / HTTP/1.1\r\n" H "X: a\rz\r\n\r\n", HTTP1_BAD_REQUEST, "invalid header value"),
    ROW("GET / HTTP/1.1\r\n" H "X: a\r\r\n\r\n", HTTP1_BAD_REQUEST, "invalid header value"),
    ROW("GET / HTTP/1.1\r\n" H "X: a\r\n\r\r\n", HTTP1_BAD_REQUEST, "malformed header line (no colon)"),
    ROW("GET / HTTP/1.1\r\n" H "\r\r\n", HTTP1_BAD_REQUEST, "malformed header line (no colon)"),
    /* Host */
    ROW("GET / HTTP/1.1\r\n\r\n", HTTP1_BAD_REQUEST, "missing required Host header"),
    ROW("GET / HTTP/1.1\r\nX-Host: h\r\n\r\n", HTTP1_BAD_REQUEST, "missing required Host header"),
    ROW("GET http://h/ HTTP/1.1\r\n\r\n", HTTP1_BAD_REQUEST, "missing required Host header"),
    ROW("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", HTTP1_BAD_REQUEST, "too many Host headers"),
    ROW("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", HTTP1_BAD_REQUEST, "too many Host headers"),
    ROW("GET / HTTP/1.0\r\nHost: a\r\nHOST: b\r\n\r\n", HTTP1_BAD_REQUEST, "too many Host headers"),
    ROW("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", HTTP1_BAD_REQUEST, "malformed Host header"),
    ROW("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", HTTP1_BAD_REQUEST, "malformed Host header"),
    ROW("GET / HTTP/1.1\r\nHost: a@b\r\n\r\n", HTTP1_BAD_REQUEST, "malformed Host header"),
    ROW("GET / HTTP/1.1\r\nHost: \xc3\xa9\r\n\r\n", HTTP1_BAD_REQUEST, "malformed Host header"),
    /* Transfer-Encoding, Expect */
    ROW("POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n", HTTP1_NOT_IMPLEMENTED, "unsupported transfer encoding"),
    ROW("POST / HTTP/1.1\r\n" H "transfer-encoding: gzip, chunked\r\n\r\n", HTTP1_NOT_IMPLEMENTED, "unsupported transfer encoding"),
    ROW("POST / HTTP/1.1\r\n" H "Transfer-Encoding: identity\r\n\r\n", HTTP1_NOT_IMPLEMENTED, "unsupported transfer encoding"),
    ROW("POST / HTTP/1.1\r\n" H "Transfer-Encoding:\r\n\r\n", HTTP1_NOT_IMPLEMENTED, "unsupported transfer encoding"),
    ROW("POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", HTTP1_BAD_REQUEST, "both Transfer-Encoding and Content-Length"),
    ROW("POST / HTTP/1.1\r\n" H "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", HTTP1_BAD_REQUEST, "both Transfer-Encoding and Content-Length"),
    ROW("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", HTTP1_BAD_REQUEST, "Transfer-Encoding in an HTTP/1.0 request"),
    ROW("POST / HTTP/1.1\r\n" H "Expect: 200-ok\r\nContent-Length: 1\r\n\r\n", HTTP1_EXPECTATION_FAILED, "unsupported Expect header"),
    ROW("GET / HTTP/1.0\r\nExpect: x\r\n\r\n", HTTP1_EXPECTATION_FAILED, "unsupported Expect header"),
#undef ROW
};

int main(void)
{
    http1_request req;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = http1_parse_request(cases[i].in, cases[i].len, &req);
        CHECK_MSG(got == cases[i].want, "row %zu \"%s\": got %d (%s), want %d", i, cases[i].in, got,
                  req.error ? req.error : "no error", cases[i].want);
        CHECK_MSG(req.error && strcmp(req.error, cases[i].why) == 0, "row %zu: reason \"%s\", want \"%s\"",
                  i, req.error ? req.error : "(null)", cases[i].why);
        CHECK_EQ_INT(http1_error_status(got), -cases[i].want);

        char out[512], status_line[64];
        int n = http1_format_error(out, sizeof out, got, req.error);
        CHECK_GT_INT(n, 0);
        CHECK_EQ_U64(strlen(out), (size_t)n);
        snprintf(status_line, sizeof status_line, "HTTP/1.1 %d %s\r\n", -got, http1_reason(-got));
        CHECK(strncmp(out, status_line, strlen(status_line)) == 0);
        CHECK_STR_CONTAINS(out, "\r\nConnection: close\r\n");
        CHECK_STR_CONTAINS(out, cases[i].why);
    }

    /* Things that look odd but are accepted, as Go accepts them. */
    static const char *const ok[] = {
        "GET /a#frag HTTP/1.1\r\n" H "\r\n",
        "GET /caf\xc3\xa9?q=\xff HTTP/1.1\r\n" H "\r\n",
        "GET /a\\b HTTP/1.1\r\n" H "\r\n",
        "GET / HTTP/1.1\r\nHost:\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
        "GET / HTTP/1.1\r\n" H "X: caf\xc3\xa9 \x80\xff\r\n\r\n",
        "GET / HTTP/1.1\r\n" H "X: a\tb\r\n\r\n",
        "GET / HTTP/1.1\r\n" H "!#$%&'*+-.^_`|~09azAZ: v\r\n\r\n",
        "GET / HTTP/1.1\r\n" H "X: ::: :\r\n\r\n",
        "GET / HTTP/1.3\r\n" H "\r\n",
        "BREW /pot HTTP/1.1\r\n" H "\r\n",
        "CONNECT example.com:443 HTTP/1.1\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\n" H "\r\n",
        "POST / HTTP/1.1\r\n" H "Expect: 100-Continue\r\nContent-Length: 1\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        CHECK_PARSE(ok[i], &req, (int)strlen(ok[i]));
    return 0;
}
