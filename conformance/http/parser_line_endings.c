// Line endings, as Go's textproto reader: CRLF and bare LF both end a line,
// also mixed in one head; a bare CR (not right before LF) is a control
// character and rejected wherever it is; one empty line before the request
// line is skipped (RFC 9112 section 2.2), a second one is an error.
#include "http_test.h"

int main(void)
{
    http1_request req;
    CHECK_PARSE_ALL("GET / HTTP/1.1\nHost: h\n\n", &req);
    CHECK_STR(req.host, "h");
    CHECK_PARSE_ALL("GET / HTTP/1.1\r\nHost: h\n\r\n", &req);
    CHECK_PARSE_ALL("GET / HTTP/1.1\nHost: h\r\n\n", &req);
    CHECK_PARSE_ALL("GET / HTTP/1.1\nHost: h\nX: y \t\n\n", &req);
    CHECK_STR(req.headers[1].value, "y");

    CHECK_PARSE_ALL("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", &req);
    CHECK(req.method.ptr[0] == 'G');
    CHECK_PARSE_ALL("\nGET / HTTP/1.1\nHost: h\n\n", &req);
    CHECK_PARSE("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", &req, HTTP1_BAD_REQUEST);
    CHECK_PARSE("\n\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", &req, HTTP1_BAD_REQUEST);
    CHECK_PARSE("\r\n", &req, 0);
    CHECK_PARSE("\r", &req, 0);
    CHECK_PARSE("\r\r\n", &req, HTTP1_BAD_REQUEST);

    /* bare CRs */
    CHECK_PARSE("GET / HTTP/1.1\rHost: h\r\n\r\n", &req, HTTP1_BAD_REQUEST);
    CHECK_PARSE("GET /\r HTTP/1.1\r\nHost: h\r\n\r\n", &req, HTTP1_BAD_REQUEST);
    CHECK_PARSE("GET / HTTP/1.1\r\nHost: h\r\r\n\r\n", &req, HTTP1_BAD_REQUEST);
    CHECK_PARSE("GET / HTTP/1.1\r\nHost: h\r\nX: \r\r\n\r\n", &req, HTTP1_BAD_REQUEST);
    CHECK_PARSE("GET / HTTP/1.1\r\nHost: h\r\n\r\r\n", &req, HTTP1_BAD_REQUEST);
    CHECK_PARSE("GET / HTTP/1.1\r\nHost: h\r\n\r", &req, 0);    /* a CR, then maybe LF */
    CHECK_PARSE("GET / HTTP/1.1\r\nHost: h\r\n\rx", &req, 0);   /* no LF yet: undecided */
    CHECK_PARSE("GET / HTTP/1.1\r\nHost: h\r\n\rx\n", &req, HTTP1_BAD_REQUEST);
    return 0;
}
