// Keep-alive follows Go's shouldClose: HTTP/1.1 (and 1.2..1.9) stays open
// unless a Connection header lists "close"; HTTP/1.0 stays open only when a
// Connection header lists "keep-alive" and none lists "close".  Tokens are
// case-insensitive, comma-separated with optional blanks, and gathered over
// all Connection headers; "closed" or "keep-alive-ish" are not the tokens.
// Also: http1_format_response_to says "Connection: keep-alive" to an
// HTTP/1.0 client it keeps, and "Connection: close" when it closes.
#include "http_test.h"

static const struct { const char *version, *headers; bool keep_alive; } cases[] = {
    { "1.1", "", true },
    { "1.1", "Connection: close\r\n", false },
    { "1.1", "Connection: Close\r\n", false },
    { "1.1", "Connection: CLOSE\r\n", false },
    { "1.1", "Connection: keep-alive\r\n", true },
    { "1.1", "Connection: upgrade, close\r\n", false },
    { "1.1", "Connection: close , upgrade\r\n", false },
    { "1.1", "Connection: ,,close,,\r\n", false },
    { "1.1", "Connection: closed\r\n", true },
    { "1.1", "Connection: \"close\"\r\n", true },
    { "1.1", "Connection: keep-alive\r\nConnection: close\r\n", false },
    { "1.1", "X-Connection: close\r\n", true },
    { "1.1", "Connection:\r\n", true },
    { "1.2", "", true },
    { "1.2", "Connection: close\r\n", false },
    { "1.0", "", false },
    { "1.0", "Connection: keep-alive\r\n", true },
    { "1.0", "Connection: Keep-Alive\r\n", true },
    { "1.0", "Connection: TE, keep-alive\r\n", true },
    { "1.0", "Connection: keep-alive, close\r\n", false },
    { "1.0", "Connection: keep-alive\r\nConnection: close\r\n", false },
    { "1.0", "Connection: keep-alive-ish\r\n", false },
    { "1.0", "Keep-Alive: timeout=5\r\n", false },
    { "1.0", "Connection: close\r\n", false },
};

int main(void)
{
    http1_request req;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char r[256];
        int len = snprintf(r, sizeof r, "GET / HTTP/%s\r\nHost: h\r\n%s\r\n", cases[i].version,
                           cases[i].headers);
        CHECK_PARSE(r, &req, len);
        CHECK_MSG(req.keep_alive == cases[i].keep_alive, "case %zu: \"%s\": keep_alive %d", i, r,
                  req.keep_alive);
    }

    char out[256];
    CHECK_PARSE_ALL("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &req);
    CHECK(http1_format_response_to(&req, out, sizeof out, 200, NULL, 2, true) > 0);
    CHECK_STR_CONTAINS(out, "\r\nConnection: keep-alive\r\n");
    CHECK(http1_format_response_to(&req, out, sizeof out, 200, NULL, 2, false) > 0);
    CHECK_STR_CONTAINS(out, "\r\nConnection: close\r\n");
    CHECK(strstr(out, "keep-alive") == NULL);

    CHECK_PARSE_ALL("GET / HTTP/1.0\r\n\r\n", &req);
    CHECK(http1_format_response_to(&req, out, sizeof out, 200, NULL, 2, true) > 0);
    CHECK_STR_CONTAINS(out, "\r\nConnection: close\r\n");   /* the client did not ask */

    CHECK_PARSE_ALL("GET / HTTP/1.1\r\nHost: h\r\n\r\n", &req);
    CHECK(http1_format_response_to(&req, out, sizeof out, 200, NULL, 2, true) > 0);
    CHECK(strstr(out, "Connection") == NULL);                /* HTTP/1.1's default */
    CHECK(http1_format_response_to(&req, out, sizeof out, 200, NULL, 2, false) > 0);
    CHECK_STR_CONTAINS(out, "\r\nConnection: close\r\n");
    return 0;
}
