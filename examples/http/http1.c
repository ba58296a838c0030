/*
 * http1.c — the HTTP/1.1 request parser and response helpers of http1.h.
 *
 * Design.  http1_parse_request is a pure function of (buf, len): it reads the
 * head line by line from the start, validates each line as soon as its LF is
 * there, and fills a caller-provided http1_request whose slices point into
 * buf.  No allocation, no state between calls, no reads past len or past
 * HTTP1_MAX_HEAD_BYTES.  Because each line is judged only once it is
 * complete, and the size limit only by the first HTTP1_MAX_HEAD_BYTES bytes,
 * the result for a prefix never contradicts the result for the whole input
 * (0 turns into a result; a result or an error stays as it is): feeding the
 * bytes one at a time gives 0 until the head is complete and then the same
 * answer as one read would.
 *
 * What it accepts (RFC 9112), and where it follows Go's net/http (1.19):
 *  - Line endings: CRLF, and also a bare LF (as Go, whose textproto reader
 *    takes either; RFC 9112 section 2.2 allows a recipient to).  A CR
 *    anywhere else (a "bare CR") is a control character and rejected (400),
 *    as RFC 9112 section 2.2 says and Go does for URLs and header values.
 *  - One empty line before the request line is skipped (RFC 9112 section
 *    2.2; Go skips leading CR/LF only after a POST).
 *  - Request line: method SP request-target SP HTTP-version, single spaces.
 *    The method is any token, case-sensitive; unknown methods are accepted
 *    (as Go: the handler decides) and named HTTP1_METHOD_OTHER.  Version is
 *    exactly "HTTP/" DIGIT "." DIGIT (Go's ParseHTTPVersion); a major version
 *    other than 1 is answered 505 (Go: "unsupported protocol version"),
 *    HTTP/1.2..1.9 are taken as HTTP/1.1 is.
 *  - Request target: origin form ("/..."); "*" for OPTIONS only (Go accepts
 *    it for any method); authority form for CONNECT only (Go likewise);
 *    absolute form "scheme://authority[/path][?query]" with a non-empty
 *    authority.  Control characters (and SP, DEL) are rejected as Go's
 *    url.ParseRequestURI does; bytes >= 0x80, '#', '\' are accepted as Go
 *    does.  The path and query are not decoded.
 *  - Header fields: name ":" OWS value OWS.  The name is a non-empty token
 *    (a space before the colon is rejected, as RFC 9112 section 5.1 demands
 *    and Go does: "invalid header name"); the value may hold HTAB, SP, VCHAR
 *    and obs-text (>= 0x80), not other control characters (Go's
 *    ValidHeaderFieldValue).  A line that starts with SP or HTAB (obs-fold,
 *    or whitespace before the first field) is rejected with 400; Go folds
 *    continuation lines instead, RFC 9112 section 5.2 allows either, and
 *    rejecting is the safer choice against request smuggling.  An empty name
 *    is rejected (Go 1.19 skipped such lines; later versions reject).
 *  - Host: required for HTTP/1.1 except with CONNECT (Go: "missing required
 *    Host header"); more than one is 400 ("too many Host headers"), and its
 *    value may only hold the bytes Go's httpguts.ValidHostHeader allows.
 *  - Content-Length: decimal digits only, at most 2^63-1 (Go's
 *    strconv.ParseUint(s, 10, 63)); repeated fields must be identical after
 *    trimming (Go, issue 16490), else 400.  An empty value is rejected (Go
 *    1.19 ignores it).  No Content-Length means no body: content_length -1.
 *  - Transfer-Encoding: not implemented.  On HTTP/1.1 it is answered 501 (Go
 *    answers 501 to anything but a single "chunked", which it decodes); with
 *    a Content-Length as well it is 400 (RFC 9112 section 6.1: "ought to be
 *    handled as an error"); on HTTP/1.0 it is 400 (RFC 9112 section 6.1:
 *    the framing is faulty; Go ignores the field there).
 *  - Connection: comma-separated tokens, case-insensitive, over all
 *    Connection fields.  keep_alive as Go's shouldClose: HTTP/1.1 unless
 *    "close"; HTTP/1.0 only with "keep-alive" and without "close".
 *  - Expect: "100-continue" sets expect_continue (HTTP/1.1 with a body, as
 *    Go); any other expectation is answered 417 (Go: sendExpectationFailed).
 *  - Limits: see http1.h; beyond them 431, as Go's MaxHeaderBytes.
 * After any error the caller must close the connection.
 */
#include "http1.h"

#include <limits.h>
#include <string.h>

/* ---- character classes --------------------------------------------------- */

static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* tchar (RFC 9110 section 5.6.2). */
static inline bool is_tchar(unsigned char c)
{
    if (is_alpha(c) || is_digit(c)) return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
    case '+': case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

/* Bytes Go's httpguts.ValidHostHeader allows. */
static inline bool is_host_byte(unsigned char c)
{
    if (is_alpha(c) || is_digit(c)) return true;
    switch (c) {
    case '!': case '$': case '%': case '&': case '\'': case '(': case ')':
    case '*': case '+': case ',': case '-': case '.': case ':': case ';':
    case '=': case '[': case ']': case '_': case '~':
        return true;
    default:
        return false;
    }
}

/* A control character other than HTAB, or DEL: not allowed in a field value. */
static inline bool is_bad_value_byte(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

static inline bool is_ows(unsigned char c) { return c == ' ' || c == '\t'; }

static inline unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c; }

static bool eq_nocase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) return false;
    return true;
}

bool http1_str_eq_nocase(http1_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && eq_nocase(s.ptr, lit, n);
}

static inline http1_str mkstr(const char *p, size_t n)
{
    http1_str s = { p, n };
    return s;
}

/* ---- the parser ---------------------------------------------------------- */

static int fail(http1_request *req, int code, const char *why)
{
    req->error = why;
    return code;
}

/* No LF before limit: more bytes needed, or the head is too large. */
static int need_more(size_t len, http1_request *req)
{
    if (len >= HTTP1_MAX_HEAD_BYTES) return fail(req, HTTP1_HEADERS_TOO_LARGE, "request header too large");
    return HTTP1_INCOMPLETE;
}

/* The line starting at pos: its content is buf[pos, *end) (without the LF
 * and a CR right before it), the next line starts at *next.  False when no
 * LF lies in buf[pos, limit). */
static bool next_line(const char *buf, size_t pos, size_t limit, size_t *end, size_t *next)
{
    if (pos >= limit) return false;
    const char *lf = memchr(buf + pos, '\n', limit - pos);
    if (!lf) return false;
    size_t e = (size_t)(lf - buf);
    *next = e + 1;
    if (e > pos && buf[e - 1] == '\r') e--;
    *end = e;
    return true;
}

static http1_method method_id(const char *m, size_t n)
{
#define M(lit, id) if (n == sizeof(lit) - 1 && memcmp(m, lit, n) == 0) return id
    switch (n) {
    case 3: M("GET", HTTP1_METHOD_GET); M("PUT", HTTP1_METHOD_PUT); break;
    case 4: M("HEAD", HTTP1_METHOD_HEAD); M("POST", HTTP1_METHOD_POST); break;
    case 5: M("TRACE", HTTP1_METHOD_TRACE); M("PATCH", HTTP1_METHOD_PATCH); break;
    case 6: M("DELETE", HTTP1_METHOD_DELETE); break;
    case 7: M("CONNECT", HTTP1_METHOD_CONNECT); M("OPTIONS", HTTP1_METHOD_OPTIONS); break;
    default: break;
    }
#undef M
    return HTTP1_METHOD_OTHER;
}

/* path and query of p[0, n) (which starts the path, possibly empty). */
static void split_path_query(http1_request *req, const char *p, size_t n)
{
    const char *q = memchr(p, '?', n);
    if (q) {
        req->path = mkstr(p, (size_t)(q - p));
        req->query = mkstr(q + 1, n - (size_t)(q - p) - 1);
        req->has_query = true;
    } else {
        req->path = mkstr(p, n);
        req->query = mkstr(p + n, 0);
    }
}

static int parse_target(http1_request *req, const char *t, size_t n)
{
    static const char bad[] = "invalid request target";
    if (n == 0) return fail(req, HTTP1_BAD_REQUEST, bad);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c <= 0x20 || c == 0x7f) return fail(req, HTTP1_BAD_REQUEST, bad);
    }
    req->target = mkstr(t, n);
    req->authority = mkstr(t, 0);
    if (t[0] == '/') {
        req->form = HTTP1_FORM_ORIGIN;
        split_path_query(req, t, n);
        return 0;
    }
    if (n == 1 && t[0] == '*') {
        if (req->method_id != HTTP1_METHOD_OPTIONS)
            return fail(req, HTTP1_BAD_REQUEST, "request target * is for OPTIONS only");
        req->form = HTTP1_FORM_ASTERISK;
        req->path = mkstr(t, 1);
        req->query = mkstr(t + 1, 0);
        return 0;
    }
    if (req->method_id == HTTP1_METHOD_CONNECT) {
        for (size_t i = 0; i < n; i++)
            if (!is_host_byte((unsigned char)t[i])) return fail(req, HTTP1_BAD_REQUEST, bad);
        req->form = HTTP1_FORM_AUTHORITY;
        req->authority = mkstr(t, n);
        req->path = mkstr(t + n, 0);
        req->query = mkstr(t + n, 0);
        return 0;
    }
    /* absolute form: scheme "://" authority [path-abempty] ["?" query] */
    size_t i = 0;
    if (!is_alpha((unsigned char)t[0])) return fail(req, HTTP1_BAD_REQUEST, bad);
    while (i < n && (is_alpha((unsigned char)t[i]) || is_digit((unsigned char)t[i]) ||
                     t[i] == '+' || t[i] == '-' || t[i] == '.'))
        i++;
    if (n - i < 3 || t[i] != ':' || t[i + 1] != '/' || t[i + 2] != '/')
        return fail(req, HTTP1_BAD_REQUEST, bad);
    size_t a = i + 3, j = a;
    while (j < n && t[j] != '/' && t[j] != '?') {
        if (!is_host_byte((unsigned char)t[j]) && t[j] != '@') return fail(req, HTTP1_BAD_REQUEST, bad);
        j++;
    }
    if (j == a) return fail(req, HTTP1_BAD_REQUEST, bad);
    req->form = HTTP1_FORM_ABSOLUTE;
    req->authority = mkstr(t + a, j - a);
    split_path_query(req, t + j, n - j);
    return 0;
}

static int parse_request_line(http1_request *req, const char *s, size_t n)
{
    static const char malformed[] = "malformed request line";
    const char *sp1 = memchr(s, ' ', n);
    if (!sp1) return fail(req, HTTP1_BAD_REQUEST, malformed);
    size_t mlen = (size_t)(sp1 - s);
    const char *t = sp1 + 1;
    size_t rest = n - mlen - 1;
    const char *sp2 = memchr(t, ' ', rest);
    if (!sp2) return fail(req, HTTP1_BAD_REQUEST, malformed);
    size_t tlen = (size_t)(sp2 - t);
    const char *v = sp2 + 1;
    size_t vlen = rest - tlen - 1;

    if (mlen == 0) return fail(req, HTTP1_BAD_REQUEST, "invalid method");
    for (size_t i = 0; i < mlen; i++)
        if (!is_tchar((unsigned char)s[i])) return fail(req, HTTP1_BAD_REQUEST, "invalid method");
    req->method = mkstr(s, mlen);
    req->method_id = method_id(s, mlen);

    if (vlen != 8 || memcmp(v, "HTTP/", 5) != 0 || !is_digit((unsigned char)v[5]) || v[6] != '.' ||
        !is_digit((unsigned char)v[7]))
        return fail(req, HTTP1_BAD_REQUEST, "malformed HTTP version");
    req->version_major = v[5] - '0';
    req->version_minor = v[7] - '0';
    if (req->version_major != 1)
        return fail(req, HTTP1_VERSION_NOT_SUPPORTED, "unsupported protocol version");

    return parse_target(req, t, tlen);
}

/* What the header fields say, gathered while reading them. */
typedef struct fields {
    int         hosts;
    bool        have_cl, te, conn_close, conn_keep_alive, expect_100, expect_other;
    const char *cl;              /* the first Content-Length value */
    size_t      cl_len;
    const char *error;           /* the first semantic error (400), reported at the end */
} fields;

static void note_error(fields *f, const char *why)
{
    if (!f->error) f->error = why;
}

static void parse_content_length(http1_request *req, fields *f, http1_str v)
{
    if (f->have_cl) {
        if (v.len != f->cl_len || memcmp(v.ptr, f->cl, v.len) != 0)
            note_error(f, "multiple Content-Length headers");
        return;
    }
    f->have_cl = true;
    f->cl = v.ptr;
    f->cl_len = v.len;
    uint64_t n;
    if (!http1_parse_uint(v, (uint64_t)INT64_MAX, &n)) {
        note_error(f, "bad Content-Length");
        return;
    }
    req->content_length = (int64_t)n;
}

static void parse_connection(fields *f, http1_str v)
{
    const char *p = v.ptr, *e = v.ptr + v.len;
    while (p < e) {
        const char *comma = memchr(p, ',', (size_t)(e - p));
        const char *te = comma ? comma : e;
        const char *a = p, *b = te;
        while (a < b && is_ows((unsigned char)*a)) a++;
        while (b > a && is_ows((unsigned char)b[-1])) b--;
        http1_str tok = mkstr(a, (size_t)(b - a));
        if (http1_str_eq_nocase(tok, "close")) f->conn_close = true;
        else if (http1_str_eq_nocase(tok, "keep-alive")) f->conn_keep_alive = true;
        p = comma ? comma + 1 : e;
    }
}

static void note_field(http1_request *req, fields *f, http1_str name, http1_str value)
{
    switch (name.len) {
    case 4:
        if (eq_nocase(name.ptr, "host", 4)) {
            if (++f->hosts > 1) {
                note_error(f, "too many Host headers");
                return;
            }
            for (size_t i = 0; i < value.len; i++) {
                if (!is_host_byte((unsigned char)value.ptr[i])) {
                    note_error(f, "malformed Host header");
                    return;
                }
            }
            req->host = value;
        }
        break;
    case 6:
        if (eq_nocase(name.ptr, "expect", 6)) {
            if (http1_str_eq_nocase(value, "100-continue")) f->expect_100 = true;
            else f->expect_other = true;
        }
        break;
    case 10:
        if (eq_nocase(name.ptr, "connection", 10)) parse_connection(f, value);
        break;
    case 14:
        if (eq_nocase(name.ptr, "content-length", 14)) parse_content_length(req, f, value);
        break;
    case 17:
        if (eq_nocase(name.ptr, "transfer-encoding", 17)) f->te = true;
        break;
    default:
        break;
    }
}

static int parse_field_line(http1_request *req, fields *f, const char *s, size_t n)
{
    if (is_ows((unsigned char)s[0]))
        return fail(req, HTTP1_BAD_REQUEST,
                    req->num_headers ? "obs-fold (header line starting with whitespace)"
                                     : "whitespace before the first header field");
    const char *colon = memchr(s, ':', n);
    if (!colon) return fail(req, HTTP1_BAD_REQUEST, "malformed header line (no colon)");
    size_t nlen = (size_t)(colon - s);
    if (nlen == 0) return fail(req, HTTP1_BAD_REQUEST, "empty header name");
    for (size_t i = 0; i < nlen; i++)
        if (!is_tchar((unsigned char)s[i])) return fail(req, HTTP1_BAD_REQUEST, "invalid header name");
    const char *v = colon + 1, *e = s + n;
    while (v < e && is_ows((unsigned char)*v)) v++;
    while (e > v && is_ows((unsigned char)e[-1])) e--;
    for (const char *p = v; p < e; p++)
        if (is_bad_value_byte((unsigned char)*p)) return fail(req, HTTP1_BAD_REQUEST, "invalid header value");
    if (req->num_headers == HTTP1_MAX_HEADERS)
        return fail(req, HTTP1_HEADERS_TOO_LARGE, "too many header fields");
    http1_header *h = &req->headers[req->num_headers++];
    h->name = mkstr(s, nlen);
    h->value = mkstr(v, (size_t)(e - v));
    note_field(req, f, h->name, h->value);
    return 0;
}

int http1_parse_request(const char *buf, size_t len, http1_request *req)
{
    static const char empty[1] = "";
    const char *base = buf ? buf : empty;
    req->method = req->target = req->path = req->query = req->authority = req->host = mkstr(base, 0);
    req->method_id = HTTP1_METHOD_OTHER;
    req->form = HTTP1_FORM_ORIGIN;
    req->has_query = false;
    req->version_major = req->version_minor = 0;
    req->content_length = -1;
    req->keep_alive = req->expect_continue = false;
    req->head_len = 0;
    req->error = NULL;
    req->num_headers = 0;
    if (len == 0) return HTTP1_INCOMPLETE;

    size_t limit = len < HTTP1_MAX_HEAD_BYTES ? len : HTTP1_MAX_HEAD_BYTES;
    size_t pos = 0, end, next;
    if (!next_line(buf, pos, limit, &end, &next)) return need_more(len, req);
    if (end == pos) {                     /* one empty line before the request line */
        pos = next;
        if (!next_line(buf, pos, limit, &end, &next)) return need_more(len, req);
    }
    if (end == pos) return fail(req, HTTP1_BAD_REQUEST, "malformed request line");
    int r = parse_request_line(req, buf + pos, end - pos);
    if (r < 0) return r;
    pos = next;

    fields f;
    memset(&f, 0, sizeof f);
    for (;;) {
        if (!next_line(buf, pos, limit, &end, &next)) return need_more(len, req);
        if (end == pos) {                 /* the blank line ending the head */
            pos = next;
            break;
        }
        r = parse_field_line(req, &f, buf + pos, end - pos);
        if (r < 0) return r;
        pos = next;
    }

    bool v11 = req->version_minor >= 1;
    if (f.error) return fail(req, HTTP1_BAD_REQUEST, f.error);
    if (v11 && f.hosts == 0 && req->method_id != HTTP1_METHOD_CONNECT)
        return fail(req, HTTP1_BAD_REQUEST, "missing required Host header");
    if (f.te) {
        if (!v11) return fail(req, HTTP1_BAD_REQUEST, "Transfer-Encoding in an HTTP/1.0 request");
        if (f.have_cl) return fail(req, HTTP1_BAD_REQUEST, "both Transfer-Encoding and Content-Length");
        return fail(req, HTTP1_NOT_IMPLEMENTED, "unsupported transfer encoding");
    }
    if (f.expect_other) return fail(req, HTTP1_EXPECTATION_FAILED, "unsupported Expect header");

    req->keep_alive = v11 ? !f.conn_close : (f.conn_keep_alive && !f.conn_close);
    req->expect_continue = v11 && f.expect_100 && req->content_length > 0;
    req->head_len = pos;
    return (int)pos;
}

int http1_error_status(int err)
{
    return err < 0 ? -err : 0;
}

bool http1_header_get(const http1_request *req, const char *name, http1_str *value)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < req->num_headers; i++) {
        const http1_header *h = &req->headers[i];
        if (h->name.len == n && eq_nocase(h->name.ptr, name, n)) {
            *value = h->value;
            return true;
        }
    }
    *value = mkstr("", 0);
    return false;
}

bool http1_query_get(http1_str query, const char *key, http1_str *value)
{
    size_t klen = strlen(key);
    const char *p = query.ptr, *e = query.ptr + query.len;
    while (p < e) {
        const char *amp = memchr(p, '&', (size_t)(e - p));
        const char *pe = amp ? amp : e;
        if (pe > p) {
            const char *eq = memchr(p, '=', (size_t)(pe - p));
            const char *ke = eq ? eq : pe;
            if ((size_t)(ke - p) == klen && memcmp(p, key, klen) == 0) {
                *value = eq ? mkstr(eq + 1, (size_t)(pe - eq - 1)) : mkstr(pe, 0);
                return true;
            }
        }
        p = amp ? amp + 1 : e;
    }
    *value = mkstr("", 0);
    return false;
}

bool http1_parse_uint(http1_str s, uint64_t max, uint64_t *out)
{
    if (s.len == 0) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (!is_digit(c)) return false;
        uint64_t d = c - '0';
        if (v > max / 10) return false;
        v *= 10;
        if (d > max - v) return false;
        v += d;
    }
    *out = v;
    return true;
}

static int hexval(unsigned char c)
{
    if (is_digit(c)) return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

long http1_percent_decode(http1_str s, char *out, size_t cap, bool plus_space)
{
    size_t o = 0;
    for (size_t i = 0; i < s.len;) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c == '%') {
            if (s.len - i < 3) return -1;
            int hi = hexval((unsigned char)s.ptr[i + 1]), lo = hexval((unsigned char)s.ptr[i + 2]);
            if (hi < 0 || lo < 0) return -1;
            c = (unsigned char)(hi * 16 + lo);
            i += 3;
        } else {
            if (plus_space && c == '+') c = ' ';
            i++;
        }
        if (o >= cap || o >= (size_t)LONG_MAX) return -1;
        out[o++] = (char)c;
    }
    return (long)o;
}

/* ---- responses ------------------------------------------------------------- */

const char *http1_reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 102: return "Processing";
    case 103: return "Early Hints";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 207: return "Multi-Status";
    case 208: return "Already Reported";
    case 226: return "IM Used";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 305: return "Use Proxy";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Request Entity Too Large";
    case 414: return "Request URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Requested Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 418: return "I'm a teapot";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Entity";
    case 423: return "Locked";
    case 424: return "Failed Dependency";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 451: return "Unavailable For Legal Reasons";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    case 506: return "Variant Also Negotiates";
    case 507: return "Insufficient Storage";
    case 508: return "Loop Detected";
    case 510: return "Not Extended";
    case 511: return "Network Authentication Required";
    default: return "";
    }
}

/* An output buffer that remembers running out of room. */
typedef struct wbuf {
    char  *p;
    size_t cap, n;
    bool   full;
} wbuf;

static void put(wbuf *w, const char *s, size_t n)
{
    if (w->full || n > w->cap - w->n) {
        w->full = true;
        return;
    }
    memcpy(w->p + w->n, s, n);
    w->n += n;
}

static void puts_(wbuf *w, const char *s) { put(w, s, strlen(s)); }

static void putu(wbuf *w, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(w, tmp + i, sizeof tmp - i);
}

static int finish(wbuf *w)
{
    if (w->full || w->n > (size_t)INT_MAX) return -1;
    if (w->n < w->cap) w->p[w->n] = 0;
    return (int)w->n;
}

static bool has_ctl(const char *s)
{
    for (; *s; s++)
        if (is_bad_value_byte((unsigned char)*s)) return true;
    return false;
}

static void status_line(wbuf *w, int status)
{
    put(w, "HTTP/1.1 ", 9);
    putu(w, (uint64_t)status);
    put(w, " ", 1);
    puts_(w, http1_reason(status));
    put(w, "\r\n", 2);
}

static int format_response(char *out, size_t cap, int status, const char *content_type,
                           size_t body_len, bool keep_alive, bool say_keep_alive)
{
    if (status < 100 || status > 999) return -1;
    if (content_type && has_ctl(content_type)) return -1;
    wbuf w = { out, cap, 0, false };
    status_line(&w, status);
    if (content_type) {
        put(&w, "Content-Type: ", 14);
        puts_(&w, content_type);
        put(&w, "\r\n", 2);
    }
    if (status >= 200 && status != 204 && status != 304) {
        put(&w, "Content-Length: ", 16);
        putu(&w, (uint64_t)body_len);
        put(&w, "\r\n", 2);
    }
    if (!keep_alive) puts_(&w, "Connection: close\r\n");
    else if (say_keep_alive) puts_(&w, "Connection: keep-alive\r\n");
    put(&w, "\r\n", 2);
    return finish(&w);
}

int http1_format_response(char *out, size_t cap, int status, const char *content_type,
                          size_t body_len, bool keep_alive)
{
    return format_response(out, cap, status, content_type, body_len, keep_alive, false);
}

int http1_format_response_to(const http1_request *req, char *out, size_t cap, int status,
                             const char *content_type, size_t body_len, bool keep_alive)
{
    keep_alive = keep_alive && req->keep_alive;
    return format_response(out, cap, status, content_type, body_len, keep_alive,
                           req->version_minor == 0);
}

bool http1_str_eq(http1_str s, const char *lit)
{
    return s.len == strlen(lit) && memcmp(s.ptr, lit, s.len) == 0;
}

int http1_format_text_response(const http1_request *req, char *out, size_t cap, int status,
                               const char *extra, const char *body, bool keep_alive)
{
    size_t body_len = strlen(body), extra_len = extra ? strlen(extra) : 0;
    bool head = req->method_id == HTTP1_METHOD_HEAD;
    size_t room = extra_len + (head ? 0 : body_len);
    if (cap <= room)
        return -1;
    int m = http1_format_response_to(req, out, cap - room, status, "text/plain; charset=utf-8",
                                     body_len, keep_alive);
    if (m < 0)
        return -1;
    size_t n = (size_t)m;
    if (extra_len) {   /* before the blank line that ends the head */
        memmove(out + n - 2 + extra_len, out + n - 2, 2);
        memcpy(out + n - 2, extra, extra_len);
        n += extra_len;
    }
    if (!head) {
        memcpy(out + n, body, body_len);
        n += body_len;
    }
    if (n < cap)
        out[n] = 0;
    return (int)n;
}

int http1_format_error(char *out, size_t cap, int err, const char *detail)
{
    int status = err < 0 ? -err : err;
    if (status < 100 || status > 999) return -1;
    if (detail && has_ctl(detail)) detail = NULL;
    const char *reason = http1_reason(status);
    /* body: "<status> <reason>[: <detail>]" */
    size_t body_len = 3 + (*reason ? 1 + strlen(reason) : 0) + (detail ? 2 + strlen(detail) : 0);
    wbuf w = { out, cap, 0, false };
    status_line(&w, status);
    puts_(&w, "Content-Type: text/plain; charset=utf-8\r\nContent-Length: ");
    putu(&w, (uint64_t)body_len);
    puts_(&w, "\r\nConnection: close\r\n\r\n");
    putu(&w, (uint64_t)status);
    if (*reason) {
        put(&w, " ", 1);
        puts_(&w, reason);
    }
    if (detail) {
        put(&w, ": ", 2);
        puts_(&w, detail);
    }
    return finish(&w);
}
