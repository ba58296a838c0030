// The response helpers: reason phrases; http1_format_response writes the
// status line, Content-Type (optional), Content-Length (not for 1xx, 204,
// 304) and Connection: close when not kept alive, NUL-terminates when there
// is room, refuses a buffer one byte too small, a status outside 100..999
// and a Content-Type with CR/LF (response splitting); http1_format_error
// writes Go's error answer ("400 Bad Request: <detail>") with a correct
// Content-Length and leaves out a detail with control characters.
#include "http_test.h"

int main(void)
{
    CHECK(strcmp(http1_reason(200), "OK") == 0);
    CHECK(strcmp(http1_reason(404), "Not Found") == 0);
    CHECK(strcmp(http1_reason(431), "Request Header Fields Too Large") == 0);
    CHECK(strcmp(http1_reason(505), "HTTP Version Not Supported") == 0);
    CHECK(strcmp(http1_reason(299), "") == 0);
    CHECK(strcmp(http1_reason(-1), "") == 0);

    char out[256];
    const char *want = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n";
    int n = http1_format_response(out, sizeof out, 200, "text/plain", 13, true);
    CHECK_EQ_INT(n, (int)strlen(want));
    CHECK(strcmp(out, want) == 0);

    /* exact fit without room for the NUL, and one byte short */
    memset(out, 'x', sizeof out);
    CHECK_EQ_INT(http1_format_response(out, strlen(want), 200, "text/plain", 13, true), (int)strlen(want));
    CHECK(memcmp(out, want, strlen(want)) == 0);
    CHECK(out[strlen(want)] == 'x');
    CHECK_EQ_INT(http1_format_response(out, strlen(want) - 1, 200, "text/plain", 13, true), -1);
    CHECK_EQ_INT(http1_format_response(NULL, 0, 200, NULL, 0, true), -1);

    n = http1_format_response(out, sizeof out, 404, NULL, 0, false);
    CHECK(n > 0 && strcmp(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n") == 0);
    n = http1_format_response(out, sizeof out, 204, "text/plain", 0, true);
    CHECK(n > 0 && strcmp(out, "HTTP/1.1 204 No Content\r\nContent-Type: text/plain\r\n\r\n") == 0);
    n = http1_format_response(out, sizeof out, 100, NULL, 0, true);
    CHECK(n > 0 && strcmp(out, "HTTP/1.1 100 Continue\r\n\r\n") == 0);
    n = http1_format_response(out, sizeof out, 299, NULL, SIZE_MAX, true);
    CHECK(n > 0);
    CHECK(strncmp(out, "HTTP/1.1 299 \r\n", 15) == 0);

    CHECK_EQ_INT(http1_format_response(out, sizeof out, 99, NULL, 0, true), -1);
    CHECK_EQ_INT(http1_format_response(out, sizeof out, 1000, NULL, 0, true), -1);
    CHECK_EQ_INT(http1_format_response(out, sizeof out, 200, "text/html\r\nSet-Cookie: x=1", 0, true), -1);
    CHECK_EQ_INT(http1_format_response(out, sizeof out, 200, "a\nb", 0, true), -1);
    CHECK(http1_format_response(out, sizeof out, 200, "text/plain;\tcharset=utf-8", 0, true) > 0);

    n = http1_format_error(out, sizeof out, HTTP1_BAD_REQUEST, "missing required Host header");
    const char *body = "400 Bad Request: missing required Host header";
    CHECK_EQ_INT(n, (int)strlen(out));
    CHECK(strncmp(out, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n", 67) == 0);
    char cl[64];
    snprintf(cl, sizeof cl, "\r\nContent-Length: %zu\r\n", strlen(body));
    CHECK_STR_CONTAINS(out, cl);
    CHECK_STR_CONTAINS(out, "\r\nConnection: close\r\n\r\n");
    CHECK(strcmp(strstr(out, "\r\n\r\n") + 4, body) == 0);

    n = http1_format_error(out, sizeof out, 501, NULL);
    CHECK(n > 0 && strcmp(strstr(out, "\r\n\r\n") + 4, "501 Not Implemented") == 0);
    CHECK_STR_CONTAINS(out, "Content-Length: 19\r\n");
    n = http1_format_error(out, sizeof out, 400, "evil\r\nX: y");
    CHECK(n > 0 && strcmp(strstr(out, "\r\n\r\n") + 4, "400 Bad Request") == 0);
    CHECK_EQ_INT(http1_format_error(out, sizeof out, 0, NULL), -1);
    CHECK_EQ_INT(http1_format_error(out, 20, 400, NULL), -1);
    return 0;
}
