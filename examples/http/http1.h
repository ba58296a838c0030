/*
 * http1.h — a small HTTP/1.1 request parser and response helpers (C11, no
 * dependencies, no allocation), shared by the HTTP server examples (one
 * goroutine per connection, and the thread-per-connection baseline), their
 * tests (conformance/http/) and a libFuzzer target (conformance/fuzz/).
 *
 * What it accepts and rejects, and where it follows Go's net/http, is written
 * at the top of http1.c.
 *
 * ---- Using it in a connection loop -------------------------------------
 *
 * The parser is a pure function of the bytes it is given: it keeps no state
 * between calls, and every slice it returns points into the caller's buffer.
 * Call it again, from the start of the buffer, after every read:
 *
 *     char buf[HTTP1_MAX_HEAD_BYTES];        // at least this big, see below
 *     size_t have = 0;
 *     http1_request req;
 *     for (;;) {
 *         int n = http1_parse_request(buf, have, &req);
 *         if (n == 0) {                      // head incomplete: read more
 *             ssize_t r = read(fd, buf + have, sizeof buf - have);
 *             if (r <= 0) break;             // EOF (or error) between requests
 *             have += (size_t)r;
 *             continue;
 *         }
 *         if (n < 0) {                       // answer the error, then close
 *             char out[512];
 *             int m = http1_format_error(out, sizeof out, n, req.error);
 *             if (m > 0) write(fd, out, (size_t)m);
 *             break;
 *         }
 *         // The head is buf[0, n).  The body (req.content_length bytes when
 *         // > 0; no body when -1) follows: the first part may already be in
 *         // buf[n, have), the rest must be read (or discarded) from fd.
 *         // Handle the request while buf still holds it (the slices in req
 *         // point there), then drop the head and body from the buffer:
 *         //     memmove(buf, buf + used, have - used); have -= used;
 *         // and keep any pipelined bytes after them for the next round.
 *         if (!req.keep_alive) break;
 *     }
 *
 * The buffer must hold at least HTTP1_MAX_HEAD_BYTES bytes: the parser
 * answers HTTP1_HEADERS_TOO_LARGE once it holds that many bytes without a
 * complete head.  With a smaller buffer a full buffer with a 0 result must be
 * treated as HTTP1_HEADERS_TOO_LARGE by the caller.
 *
 * Each call rescans the head from the start (at most HTTP1_MAX_HEAD_BYTES),
 * so a client that sends one byte per packet costs O(n^2) byte checks, a
 * few tens of million at worst: bound it with a read deadline, as Go's
 * Server.ReadHeaderTimeout does.
 *
 * After an error the connection must be closed: the request's framing is not
 * known (Go closes too).  Error results are stable: once a prefix of the
 * input gives an error, every longer input that starts with it gives the same
 * error, and a complete head gives the same result whatever more follows it.
 */
#ifndef GORT_EXAMPLES_HTTP1_H
#define GORT_EXAMPLES_HTTP1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits.  A head (request line, header lines, blank line, and the one empty
 * line allowed before the request line) longer than HTTP1_MAX_HEAD_BYTES, or
 * with more than HTTP1_MAX_HEADERS header fields, is answered 431 (Go's
 * limit is 1 MiB of header bytes and no count; 8 KiB is nginx's and most
 * servers' default). */
#ifndef HTTP1_MAX_HEAD_BYTES
#define HTTP1_MAX_HEAD_BYTES 8192
#endif
#ifndef HTTP1_MAX_HEADERS
#define HTTP1_MAX_HEADERS 64
#endif

/* Results of http1_parse_request: > 0 is the length of a complete head, 0
 * means more bytes are needed, and an error is minus the HTTP status code to
 * answer with (so `-n` is the status).  req->error then says why, in words. */
enum {
    HTTP1_INCOMPLETE             = 0,
    HTTP1_BAD_REQUEST            = -400, /* malformed request */
    HTTP1_EXPECTATION_FAILED     = -417, /* Expect: other than 100-continue */
    HTTP1_HEADERS_TOO_LARGE      = -431, /* head over the limits above */
    HTTP1_NOT_IMPLEMENTED        = -501, /* Transfer-Encoding (any) on HTTP/1.1 */
    HTTP1_VERSION_NOT_SUPPORTED  = -505  /* HTTP/x.y with x != 1 */
};

/* A slice of the caller's buffer (not NUL-terminated). */
typedef struct http1_str {
    const char *ptr;
    size_t      len;
} http1_str;

typedef struct http1_header {
    http1_str name;    /* a token, as sent (case preserved) */
    http1_str value;   /* leading and trailing blanks removed; may be empty */
} http1_header;

/* The methods the parser names; any other token is HTTP1_METHOD_OTHER (and
 * still accepted: what to answer to it is the server's choice, 501 or 405). */
typedef enum http1_method {
    HTTP1_METHOD_OTHER = 0,
    HTTP1_METHOD_GET,
    HTTP1_METHOD_HEAD,
    HTTP1_METHOD_POST,
    HTTP1_METHOD_PUT,
    HTTP1_METHOD_DELETE,
    HTTP1_METHOD_CONNECT,
    HTTP1_METHOD_OPTIONS,
    HTTP1_METHOD_TRACE,
    HTTP1_METHOD_PATCH
} http1_method;

/* The four forms of request-target (RFC 9112 section 3.2). */
typedef enum http1_target_form {
    HTTP1_FORM_ORIGIN = 0,   /* /path?query                            */
    HTTP1_FORM_ABSOLUTE,     /* scheme://authority/path?query (proxies) */
    HTTP1_FORM_AUTHORITY,    /* host:port, CONNECT only                 */
    HTTP1_FORM_ASTERISK      /* *, OPTIONS only                         */
} http1_target_form;

typedef struct http1_request {
    http1_str         method;       /* as sent, case-sensitive ("get" is not GET) */
    http1_method      method_id;
    http1_str         target;       /* the request-target as sent */
    http1_target_form form;
    http1_str         path;         /* origin/absolute form: up to '?' (raw, not
                                     * percent-decoded); empty for an absolute
                                     * form without path (meaning "/") and for
                                     * the authority form; "*" for asterisk */
    http1_str         query;        /* after '?' (without it), raw; empty when none */
    bool              has_query;    /* a '?' was there ("/a?" vs "/a") */
    http1_str         authority;    /* absolute form: host[:port]; authority
                                     * form: the target; else empty */
    int               version_major;  /* always 1 after a successful parse */
    int               version_minor;  /* 0 for HTTP/1.0, 1..9 otherwise */
    http1_str         host;         /* the Host header's value; empty when absent */
    int64_t           content_length; /* -1: no Content-Length (no body) */
    bool              keep_alive;   /* HTTP/1.1+: unless Connection: close;
                                     * HTTP/1.0: only with Connection: keep-alive */
    bool              expect_continue; /* HTTP/1.1+, Expect: 100-continue and a
                                        * body: send "HTTP/1.1 100 Continue"
                                        * before reading the body */
    size_t            head_len;     /* the result, when > 0 */
    const char       *error;        /* why, after an error (static string); else NULL */
    size_t            num_headers;
    http1_header      headers[HTTP1_MAX_HEADERS];
} http1_request;

/* Parses the request head at the start of buf[0, len).  Returns the head's
 * length (> 0; the body, if any, starts there), HTTP1_INCOMPLETE (0) when
 * more bytes are needed, or a negative HTTP1_* error.  On success every
 * slice in *req points into buf[0, result).  Never reads past buf[len - 1]
 * (nor past HTTP1_MAX_HEAD_BYTES); buf may be NULL when len is 0. */
int http1_parse_request(const char *buf, size_t len, http1_request *req);

/* The HTTP status code for an http1_parse_request error (400, 431, ...). */
int http1_error_status(int err);

/* The first header named `name` (ASCII case-insensitive): its value in
 * *value and true, or false (and *value empty) when there is none. */
bool http1_header_get(const http1_request *req, const char *name, http1_str *value);

/* Looks `key` up in a query string (req->query: "a=1&b=2"): the raw value
 * of the first pair whose raw key equals key, or "" for a key without '='.
 * Keys are compared byte for byte, without percent-decoding ("%61" is not
 * "a").  Empty pairs ("a=1&&b") are skipped. */
bool http1_query_get(http1_str query, const char *key, http1_str *value);

/* Decimal digits only (no sign, no blanks), at most max: true and *out. */
bool http1_parse_uint(http1_str s, uint64_t max, uint64_t *out);

/* Percent-decodes s into out[0, cap) (with '+' as a space when plus_space,
 * for query values).  Returns the decoded length, or -1 for a malformed
 * escape or when out is too small.  No NUL is written. */
long http1_percent_decode(http1_str s, char *out, size_t cap, bool plus_space);

/* True when s equals the NUL-terminated lit, ASCII case-insensitively. */
bool http1_str_eq_nocase(http1_str s, const char *lit);
/* True when s equals the NUL-terminated lit exactly. */
bool http1_str_eq(http1_str s, const char *lit);

/* The reason phrase for a status code ("OK", "Not Found"); "" if unknown. */
const char *http1_reason(int status);

/* Writes an HTTP/1.1 response head into out[0, cap):
 *     HTTP/1.1 <status> <reason>\r\n
 *     Content-Type: <content_type>\r\n          (when content_type is not NULL)
 *     Content-Length: <body_len>\r\n            (not for 1xx, 204 and 304)
 *     Connection: close\r\n                     (when !keep_alive)
 *     \r\n
 * and a NUL after it when there is room.  Returns its length, or -1 when it
 * does not fit, status is outside 100..999, or content_type holds a control
 * character (which could split the response).  For a HEAD request pass the
 * length the body would have, and send no body. */
int http1_format_response(char *out, size_t cap, int status, const char *content_type,
                          size_t body_len, bool keep_alive);

/* The same, answering req: for an HTTP/1.0 request kept alive it adds
 * "Connection: keep-alive" (an HTTP/1.0 client closes otherwise).  The server
 * may close when req->keep_alive is true (pass false), not the other way. */
int http1_format_response_to(const http1_request *req, char *out, size_t cap, int status,
                             const char *content_type, size_t body_len, bool keep_alive);

/* A whole text/plain; charset=utf-8 response answering req (as
 * http1_format_response_to), with the header lines `extra` (each ending in
 * \r\n; may be NULL) before the blank line, and the body unless req is a
 * HEAD request.  Returns the length (NUL after it when there is room) or -1
 * when it does not fit. */
int http1_format_text_response(const http1_request *req, char *out, size_t cap, int status,
                               const char *extra, const char *body, bool keep_alive);

/* A whole error response, head and body, as Go's server sends for a bad
 * request: status -err (or err itself when it is a status code >= 100),
 * Content-Type text/plain; charset=utf-8, Connection: close, and the body
 * "<status> <reason>" (+ ": <detail>" when detail is not NULL).  Returns the
 * length written (NUL after it when there is room) or -1 when it does not
 * fit; a detail with control characters is left out. */
int http1_format_error(char *out, size_t cap, int err, const char *detail);

#ifdef __cplusplus
}
#endif

#endif /* GORT_EXAMPLES_HTTP1_H */
