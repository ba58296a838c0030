// A plain GET head parses into its parts: the result is the head's length,
// method/target/path/query/version/headers are slices of the input, the
// Host value is found, there is no body (content_length -1), HTTP/1.1 is
// kept alive, and a header is found by name in any case.  Bytes after the
// head (the next request) are not consumed.
#include "http_test.h"

int main(void)
{
    const char *head =
        "GET /index.html?x=1&y=two HTTP/1.1\r\n"
        "Host: example.com:8080\r\n"
        "User-Agent: test/1.0\r\n"
        "Accept: */*\r\n"
        "X-Empty:\r\n"
        "X-Spaces: \t  a b  \t\r\n"
        "\r\n";
    size_t hlen = strlen(head);
    char buf[512];
    snprintf(buf, sizeof buf, "%sGET /next HTTP/1.1\r\n", head);

    http1_request req;
    int n = http1_parse_request(buf, strlen(buf), &req);
    CHECK_EQ_INT(n, (int)hlen);
    CHECK_EQ_U64(req.head_len, hlen);
    CHECK(req.error == NULL);
    CHECK_STR(req.method, "GET");
    CHECK_EQ_INT(req.method_id, HTTP1_METHOD_GET);
    CHECK_STR(req.target, "/index.html?x=1&y=two");
    CHECK_EQ_INT(req.form, HTTP1_FORM_ORIGIN);
    CHECK_STR(req.path, "/index.html");
    CHECK(req.has_query);
    CHECK_STR(req.query, "x=1&y=two");
    CHECK_STR(req.authority, "");
    CHECK_EQ_INT(req.version_major, 1);
    CHECK_EQ_INT(req.version_minor, 1);
    CHECK_STR(req.host, "example.com:8080");
    CHECK_EQ_INT(req.content_length, -1);
    CHECK(req.keep_alive);
    CHECK(!req.expect_continue);

    CHECK_EQ_U64(req.num_headers, 5);
    CHECK_STR(req.headers[0].name, "Host");
    CHECK_STR(req.headers[1].name, "User-Agent");
    CHECK_STR(req.headers[1].value, "test/1.0");
    CHECK_STR(req.headers[3].name, "X-Empty");
    CHECK_STR(req.headers[3].value, "");
    CHECK_STR(req.headers[4].value, "a b");          /* blanks trimmed both sides only */

    /* every slice points into the buffer's head */
    for (size_t i = 0; i < req.num_headers; i++) {
        CHECK(req.headers[i].name.ptr >= buf && req.headers[i].name.ptr + req.headers[i].name.len <= buf + n);
        CHECK(req.headers[i].value.ptr >= buf && req.headers[i].value.ptr + req.headers[i].value.len <= buf + n);
    }
    CHECK(req.target.ptr == buf + 4);

    http1_str v;
    CHECK(http1_header_get(&req, "user-agent", &v));
    CHECK_STR(v, "test/1.0");
    CHECK(http1_header_get(&req, "ACCEPT", &v));
    CHECK_STR(v, "*/*");
    CHECK(!http1_header_get(&req, "Accept-Encoding", &v));
    CHECK_STR(v, "");
    CHECK(!http1_header_get(&req, "Acce", &v));

    /* The same head alone, and with a body's first bytes after it. */
    CHECK_EQ_INT(http1_parse_request(head, hlen, &req), (int)hlen);
    CHECK_EQ_INT(http1_parse_request(head, hlen - 1, &req), 0);

    /* HTTP/1.0 without Host; other methods are named. */
    CHECK_PARSE_ALL("HEAD / HTTP/1.0\r\n\r\n", &req);
    CHECK_EQ_INT(req.method_id, HTTP1_METHOD_HEAD);
    CHECK_EQ_INT(req.version_minor, 0);
    CHECK_STR(req.host, "");
    CHECK(!req.keep_alive);
    CHECK(!req.has_query);
    CHECK_STR(req.path, "/");

    static const struct { const char *name; http1_method id; } methods[] = {
        { "GET", HTTP1_METHOD_GET }, { "HEAD", HTTP1_METHOD_HEAD }, { "POST", HTTP1_METHOD_POST },
        { "PUT", HTTP1_METHOD_PUT }, { "DELETE", HTTP1_METHOD_DELETE },
        { "OPTIONS", HTTP1_METHOD_OPTIONS }, { "TRACE", HTTP1_METHOD_TRACE },
        { "PATCH", HTTP1_METHOD_PATCH }, { "get", HTTP1_METHOD_OTHER },
        { "PROPFIND", HTTP1_METHOD_OTHER }, { "M-SEARCH", HTTP1_METHOD_OTHER },
        { "GETS", HTTP1_METHOD_OTHER },
    };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        char r[128];
        int len = snprintf(r, sizeof r, "%s /x HTTP/1.1\r\nHost: h\r\n\r\n", methods[i].name);
        CHECK_PARSE(r, &req, len);
        CHECK_EQ_INT(req.method_id, methods[i].id);
        CHECK_STR(req.method, methods[i].name);
    }
    return 0;
}
