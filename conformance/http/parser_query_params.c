// Targets split into path and query ("/sleep?ms=250" -> "/sleep", "ms=250";
// "/a?" has an empty query, "/a" none); http1_query_get finds a key's raw
// value (first match, "" for a key without '=', empty pairs skipped, keys
// compared without decoding), http1_parse_uint reads /sleep's ms strictly
// (digits only, bounded), and http1_percent_decode decodes %XX (and '+' as
// a space for query values), rejecting bad escapes and a too small buffer.
// Also the other target forms: absolute (authority and path split out, no
// path meaning "/"), authority (CONNECT), asterisk (OPTIONS).
#include "http_test.h"

static http1_str S(const char *s) { http1_str r = { s, strlen(s) }; return r; }

int main(void)
{
    http1_request req;
    http1_str v;
    uint64_t u;

    CHECK_PARSE_ALL("GET /sleep?ms=250 HTTP/1.1\r\nHost: h\r\n\r\n", &req);
    CHECK_STR(req.path, "/sleep");
    CHECK_STR(req.query, "ms=250");
    CHECK(http1_query_get(req.query, "ms", &v));
    CHECK_STR(v, "250");
    CHECK(http1_parse_uint(v, 60000, &u));
    CHECK_EQ_U64(u, 250);
    CHECK(!http1_query_get(req.query, "m", &v));
    CHECK(!http1_query_get(req.query, "ms=", &v));

    CHECK_PARSE_ALL("GET /a? HTTP/1.1\r\nHost: h\r\n\r\n", &req);
    CHECK(req.has_query);
    CHECK_STR(req.query, "");
    CHECK_STR(req.path, "/a");
    CHECK_PARSE_ALL("GET /a HTTP/1.1\r\nHost: h\r\n\r\n", &req);
    CHECK(!req.has_query);
    CHECK_PARSE_ALL("GET /a?b?c=d HTTP/1.1\r\nHost: h\r\n\r\n", &req);
    CHECK_STR(req.path, "/a");
    CHECK_STR(req.query, "b?c=d");

    http1_str q = S("a=1&&b&c=&ms=7&ms=8&=z&x%3Dy=2&plus=a+b%20c");
    CHECK(http1_query_get(q, "a", &v));
    CHECK_STR(v, "1");
    CHECK(http1_query_get(q, "b", &v));
    CHECK_STR(v, "");
    CHECK(http1_query_get(q, "c", &v));
    CHECK_STR(v, "");
    CHECK(http1_query_get(q, "ms", &v));
    CHECK_STR(v, "7");                          /* the first */
    CHECK(http1_query_get(q, "", &v));
    CHECK_STR(v, "z");
    CHECK(http1_query_get(q, "x%3Dy", &v));     /* raw keys */
    CHECK_STR(v, "2");
    CHECK(!http1_query_get(q, "x=y", &v));
    CHECK(!http1_query_get(S(""), "a", &v));
    http1_str none = { NULL, 0 };
    CHECK(!http1_query_get(none, "a", &v));
    CHECK(http1_query_get(S("a"), "a", &v));
    CHECK_STR(v, "");
    CHECK(http1_query_get(S("&&a=&"), "a", &v));
    CHECK_STR(v, "");

    char out[64];
    CHECK(http1_query_get(q, "plus", &v));
    long n = http1_percent_decode(v, out, sizeof out, true);
    CHECK_EQ_INT(n, 5);
    CHECK(memcmp(out, "a b c", 5) == 0);
    CHECK_EQ_INT(http1_percent_decode(v, out, sizeof out, false), 5);
    CHECK(memcmp(out, "a+b c", 5) == 0);
    CHECK_EQ_INT(http1_percent_decode(S("%41%62%2f%2F%00"), out, sizeof out, false), 5);
    CHECK(memcmp(out, "Ab//\0", 5) == 0);
    CHECK_EQ_INT(http1_percent_decode(S("%4"), out, sizeof out, false), -1);
    CHECK_EQ_INT(http1_percent_decode(S("%"), out, sizeof out, false), -1);
    CHECK_EQ_INT(http1_percent_decode(S("a%zz"), out, sizeof out, false), -1);
    CHECK_EQ_INT(http1_percent_decode(S("abc"), out, 2, false), -1);
    CHECK_EQ_INT(http1_percent_decode(S("abc"), out, 3, false), 3);
    CHECK_EQ_INT(http1_percent_decode(S(""), NULL, 0, false), 0);

    CHECK(http1_parse_uint(S("0"), 10, &u) && u == 0);
    CHECK(http1_parse_uint(S("10"), 10, &u) && u == 10);
    CHECK(!http1_parse_uint(S("11"), 10, &u));
    CHECK(http1_parse_uint(S("18446744073709551615"), UINT64_MAX, &u) && u == UINT64_MAX);
    CHECK(!http1_parse_uint(S("18446744073709551616"), UINT64_MAX, &u));
    CHECK(!http1_parse_uint(S(""), 10, &u));
    CHECK(!http1_parse_uint(S("-1"), 10, &u));
    CHECK(!http1_parse_uint(S(" 1"), 10, &u));
    CHECK(!http1_parse_uint(S("1 "), 10, &u));
    CHECK(!http1_parse_uint(S("5"), 4, &u));

    /* absolute form */
    CHECK_PARSE_ALL("GET http://example.com:81/p/q?x=1 HTTP/1.1\r\nHost: example.com:81\r\n\r\n", &req);
    CHECK_EQ_INT(req.form, HTTP1_FORM_ABSOLUTE);
    CHECK_STR(req.authority, "example.com:81");
    CHECK_STR(req.path, "/p/q");
    CHECK_STR(req.query, "x=1");
    CHECK_PARSE_ALL("GET HTTPS://u@h?y HTTP/1.1\r\nHost: h\r\n\r\n", &req);
    CHECK_EQ_INT(req.form, HTTP1_FORM_ABSOLUTE);
    CHECK_STR(req.authority, "u@h");
    CHECK_STR(req.path, "");
    CHECK_STR(req.query, "y");
    CHECK_PARSE_ALL("GET svn+ssh.x-1://[::1] HTTP/1.1\r\nHost: h\r\n\r\n", &req);
    CHECK_STR(req.authority, "[::1]");
    CHECK(!req.has_query);
    /* authority form */
    CHECK_PARSE_ALL("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", &req);
    CHECK_EQ_INT(req.form, HTTP1_FORM_AUTHORITY);
    CHECK_STR(req.authority, "example.com:443");
    CHECK_STR(req.path, "");
    CHECK_PARSE_ALL("CONNECT /rpc HTTP/1.1\r\nHost: h\r\n\r\n", &req);   /* Go's RPC form */
    CHECK_EQ_INT(req.form, HTTP1_FORM_ORIGIN);
    /* asterisk form */
    CHECK_PARSE_ALL("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", &req);
    CHECK_EQ_INT(req.form, HTTP1_FORM_ASTERISK);
    CHECK_STR(req.path, "*");
    CHECK(!req.has_query);
    return 0;
}
