// Content-Length follows Go (strconv.ParseUint(v, 10, 63) and issue 16490):
// decimal digits only, blanks around the value ignored, leading zeros
// allowed, up to 2^63-1; signs, blanks inside, hex, lists ("1,1"), an empty
// value, overflow, and two fields that differ (even "5" and "05") are 400;
// identical repeats are accepted.  No Content-Length is -1 (no body), and
// Expect: 100-continue is reported only for HTTP/1.1 with a body.
#include "http_test.h"

static const struct { const char *fields; int64_t want; } good[] = {
    { "", -1 },
    { "Content-Length: 0\r\n", 0 },
    { "Content-Length: 5\r\n", 5 },
    { "content-length:5\r\n", 5 },
    { "CONTENT-LENGTH: \t 42 \t\r\n", 42 },
    { "Content-Length: 007\r\n", 7 },
    { "Content-Length: 9223372036854775807\r\n", INT64_MAX },
    { "Content-Length: 3\r\nContent-Length: 3\r\n", 3 },
    { "Content-Length: 3\r\nX: y\r\ncontent-length:  3\r\n", 3 },
    { "Content-Lengths: x\r\n", -1 },
};

static const char *const bad[] = {
    "Content-Length:\r\n",
    "Content-Length:   \r\n",
    "Content-Length: -1\r\n",
    "Content-Length: +1\r\n",
    "Content-Length: 1 2\r\n",
    "Content-Length: 1,1\r\n",
    "Content-Length: 0x10\r\n",
    "Content-Length: 1e3\r\n",
    "Content-Length: 12a\r\n",
    "Content-Length: \xd9\xa1\r\n",
    "Content-Length: 9223372036854775808\r\n",
    "Content-Length: 18446744073709551616\r\n",
    "Content-Length: 99999999999999999999999999999\r\n",
    "Content-Length: 3\r\nContent-Length: 4\r\n",
    "Content-Length: 5\r\nContent-Length: 05\r\n",
    "Content-Length: 5\r\nContent-Length: \r\n",
    "Content-Length: x\r\nContent-Length: x\r\n",
};

int main(void)
{
    http1_request req;
    char r[256];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int len = snprintf(r, sizeof r, "POST / HTTP/1.1\r\nHost: h\r\n%s\r\n", good[i].fields);
        CHECK_PARSE(r, &req, len);
        CHECK_MSG(req.content_length == good[i].want, "\"%s\": %lld", good[i].fields,
                  (long long)req.content_length);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(r, sizeof r, "POST / HTTP/1.1\r\nHost: h\r\n%s\r\n", bad[i]);
        CHECK_PARSE(r, &req, HTTP1_BAD_REQUEST);
        CHECK_MSG(strstr(req.error, "Content-Length") != NULL, "\"%s\": %s", bad[i], req.error);
    }
    CHECK_PARSE("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", &req,
                HTTP1_BAD_REQUEST);
    CHECK(strcmp(req.error, "multiple Content-Length headers") == 0);

    /* The body is not part of the head. */
    const char *post = "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody";
    CHECK_PARSE(post, &req, (int)strlen(post) - 4);
    CHECK_EQ_INT(req.content_length, 4);

    /* Expect: 100-continue */
    CHECK_PARSE_ALL("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n", &req);
    CHECK(req.expect_continue);
    CHECK_PARSE_ALL("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-CONTINUE\r\nContent-Length: 0\r\n\r\n", &req);
    CHECK(!req.expect_continue);                                /* no body */
    CHECK_PARSE_ALL("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n", &req);
    CHECK(!req.expect_continue);
    CHECK_PARSE_ALL("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n", &req);
    CHECK(!req.expect_continue);                                /* HTTP/1.0 ignores it */
    return 0;
}
