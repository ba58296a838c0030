/*
 * http1_fuzz.c — libFuzzer target for the HTTP/1.1 request parser
 * (examples/http/http1.c).  For every input it checks:
 *  - the result is 0, a head length <= min(len, HTTP1_MAX_HEAD_BYTES) ending
 *    in LF, or one of the documented errors (with a reason that
 *    http1_format_error can answer with);
 *  - after a successful parse the head has one line per header field (plus
 *    the request line, the blank line and perhaps one empty line first), no
 *    control bytes but HTAB, and no CR but before LF; every slice lies
 *    inside the head; method and header names are tokens, values hold no
 *    control characters and no outer blanks, the target's parts lie inside
 *    the target, Host and the header lookup agree with the header list;
 *  - parsing again gives the same result; re-parsing only the consumed
 *    prefix gives the same request; every prefix (all short ones, a spread
 *    of longer ones, each copied into a buffer of exactly its size so that
 *    ASan sees a read past its end) gives 0 before the head is complete and
 *    the same answer after, and once an error shows it stays;
 *  - the request rebuilt in canonical form (single spaces, "Name: value",
 *    CRLF) parses to the same request;
 *  - the helpers (query lookup, percent-decoding, numbers, response
 *    formatting) keep their bounds on whatever the request holds.
 * A failed check prints what failed and aborts, which libFuzzer reports as
 * a crash.  conformance/fuzz/replay_main.c runs the same function over the
 * seed corpus in builds without libFuzzer.
 */
#include "http1.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
    do { if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond); } while (0)

static void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, what);
    abort();
}

/* s lies inside base[0, n) (an empty slice may sit at base + n). */
static bool inside(http1_str s, const char *base, size_t n)
{
    uintptr_t p = (uintptr_t)s.ptr, b = (uintptr_t)base;
    return s.ptr != NULL && p >= b && p - b <= n && s.len <= n - (p - b);
}

static bool is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_ctl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

static bool same_slice(http1_str a, const char *abase, http1_str b, const char *bbase)
{
    return a.len == b.len && (a.ptr - abase) == (b.ptr - bbase);
}

static bool same_bytes(http1_str a, http1_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Two parses of the same bytes, at abase and bbase, agree. */
static bool same_request(const http1_request *a, const char *abase, const http1_request *b,
                         const char *bbase)
{
    if ((a->error == NULL) != (b->error == NULL)) return false;
    if (a->error) return strcmp(a->error, b->error) == 0;
    if (a->method_id != b->method_id || a->form != b->form || a->has_query != b->has_query ||
        a->version_major != b->version_major || a->version_minor != b->version_minor ||
        a->content_length != b->content_length || a->keep_alive != b->keep_alive ||
        a->expect_continue != b->expect_continue || a->head_len != b->head_len ||
        a->num_headers != b->num_headers)
        return false;
    if (!same_slice(a->method, abase, b->method, bbase) || !same_slice(a->target, abase, b->target, bbase) ||
        !same_slice(a->path, abase, b->path, bbase) || !same_slice(a->query, abase, b->query, bbase) ||
        !same_slice(a->authority, abase, b->authority, bbase) || !same_slice(a->host, abase, b->host, bbase))
        return false;
    for (size_t i = 0; i < a->num_headers; i++)
        if (!same_slice(a->headers[i].name, abase, b->headers[i].name, bbase) ||
            !same_slice(a->headers[i].value, abase, b->headers[i].value, bbase))
            return false;
    return true;
}

static void check_result(const char *in, size_t size, int r, const http1_request *req)
{
    size_t max = size < HTTP1_MAX_HEAD_BYTES ? size : HTTP1_MAX_HEAD_BYTES;
    if (r == 0) {
        FUZZ_CHECK(size < HTTP1_MAX_HEAD_BYTES);
        FUZZ_CHECK(req->error == NULL);
        return;
    }
    if (r < 0) {
        FUZZ_CHECK(r == HTTP1_BAD_REQUEST || r == HTTP1_EXPECTATION_FAILED ||
                   r == HTTP1_HEADERS_TOO_LARGE || r == HTTP1_NOT_IMPLEMENTED ||
                   r == HTTP1_VERSION_NOT_SUPPORTED);
        FUZZ_CHECK(req->error != NULL && req->error[0] != 0);
        for (const char *p = req->error; *p; p++) FUZZ_CHECK(!is_ctl((unsigned char)*p));
        FUZZ_CHECK(http1_error_status(r) == -r);
        char out[512];
        int n = http1_format_error(out, sizeof out, r, req->error);
        FUZZ_CHECK(n > 0 && (size_t)n == strlen(out));
        FUZZ_CHECK(strstr(out, req->error) != NULL);
        return;
    }
    size_t n = (size_t)r;
    FUZZ_CHECK(n <= max);
    FUZZ_CHECK(req->error == NULL);
    FUZZ_CHECK(req->head_len == n);
    FUZZ_CHECK(in[n - 1] == '\n');
    FUZZ_CHECK(req->version_major == 1 && req->version_minor >= 0 && req->version_minor <= 9);
    FUZZ_CHECK(req->num_headers <= HTTP1_MAX_HEADERS);
    FUZZ_CHECK(req->content_length >= -1);

    /* Lines: the request line, one per header field, the blank line, and
     * perhaps one empty line before; no control bytes but HTAB, and CR only
     * right before LF. */
    size_t lfs = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '\n') lfs++;
        else if (c == '\r') FUZZ_CHECK(i + 1 < n && in[i + 1] == '\n');
        else FUZZ_CHECK(!is_ctl(c));
    }
    bool leading = in[0] == '\n' || (in[0] == '\r' && in[1] == '\n');
    FUZZ_CHECK(lfs == req->num_headers + 2 + (leading ? 1 : 0));

    http1_str all[6] = { req->method, req->target, req->path, req->query, req->authority, req->host };
    for (int i = 0; i < 6; i++) FUZZ_CHECK(inside(all[i], in, n));
    FUZZ_CHECK(req->method.len > 0 && req->target.len > 0);
    for (size_t i = 0; i < req->method.len; i++) FUZZ_CHECK(is_tchar((unsigned char)req->method.ptr[i]));
    for (size_t i = 0; i < req->target.len; i++) {
        unsigned char c = (unsigned char)req->target.ptr[i];
        FUZZ_CHECK(c > 0x20 && c != 0x7f);
    }
    FUZZ_CHECK(inside(req->path, req->target.ptr, req->target.len));
    FUZZ_CHECK(inside(req->query, req->target.ptr, req->target.len));
    FUZZ_CHECK(inside(req->authority, req->target.ptr, req->target.len));
    if (req->has_query) FUZZ_CHECK(req->query.ptr > req->target.ptr && req->query.ptr[-1] == '?');
    else FUZZ_CHECK(req->query.len == 0);
    FUZZ_CHECK(memchr(req->path.ptr, '?', req->path.len) == NULL || req->form == HTTP1_FORM_AUTHORITY);
    switch (req->form) {
    case HTTP1_FORM_ORIGIN:
        FUZZ_CHECK(req->target.ptr[0] == '/' && req->path.ptr == req->target.ptr);
        break;
    case HTTP1_FORM_ASTERISK:
        FUZZ_CHECK(req->method_id == HTTP1_METHOD_OPTIONS && req->target.len == 1);
        break;
    case HTTP1_FORM_AUTHORITY:
        FUZZ_CHECK(req->method_id == HTTP1_METHOD_CONNECT && req->authority.len == req->target.len);
        break;
    case HTTP1_FORM_ABSOLUTE:
        FUZZ_CHECK(req->authority.len > 0);
        FUZZ_CHECK(req->path.len == 0 || req->path.ptr[0] == '/');
        break;
    default:
        FUZZ_CHECK(!"unknown form");
    }
    if (req->expect_continue) FUZZ_CHECK(req->content_length > 0 && req->version_minor >= 1);

    bool saw_cl = false, saw_host = false;
    for (size_t i = 0; i < req->num_headers; i++) {
        http1_str nm = req->headers[i].name, v = req->headers[i].value;
        FUZZ_CHECK(inside(nm, in, n) && inside(v, in, n));
        FUZZ_CHECK(nm.len > 0);
        for (size_t j = 0; j < nm.len; j++) FUZZ_CHECK(is_tchar((unsigned char)nm.ptr[j]));
        FUZZ_CHECK(nm.ptr[nm.len] == ':');
        for (size_t j = 0; j < v.len; j++) FUZZ_CHECK(!is_ctl((unsigned char)v.ptr[j]));
        if (v.len) {
            FUZZ_CHECK(v.ptr[0] != ' ' && v.ptr[0] != '\t');
            FUZZ_CHECK(v.ptr[v.len - 1] != ' ' && v.ptr[v.len - 1] != '\t');
        }
        FUZZ_CHECK(i == 0 || nm.ptr > req->headers[i - 1].value.ptr);
        if (http1_str_eq_nocase(nm, "content-length")) saw_cl = true;
        if (http1_str_eq_nocase(nm, "host")) {
            FUZZ_CHECK(!saw_host);
            saw_host = true;
            FUZZ_CHECK(req->host.ptr == v.ptr && req->host.len == v.len);
        }
        if (http1_str_eq_nocase(nm, "transfer-encoding")) FUZZ_CHECK(!"Transfer-Encoding accepted");

        /* The lookup finds the first header of this name. */
        char name[128];
        if (nm.len < sizeof name) {
            memcpy(name, nm.ptr, nm.len);
            name[nm.len] = 0;
            http1_str got;
            FUZZ_CHECK(http1_header_get(req, name, &got));
            size_t first = 0;
            while (!http1_str_eq_nocase(req->headers[first].name, name)) first++;
            FUZZ_CHECK(first <= i && got.ptr == req->headers[first].value.ptr);
        }
        uint64_t u;
        if (http1_parse_uint(v, 1000000, &u)) FUZZ_CHECK(u <= 1000000 && v.len > 0);
    }
    FUZZ_CHECK(saw_cl == (req->content_length >= 0));
    if (req->version_minor >= 1 && req->method_id != HTTP1_METHOD_CONNECT) FUZZ_CHECK(saw_host);
    if (!saw_host) FUZZ_CHECK(req->host.len == 0);
}

/* Every prefix of a selection, each in a buffer of exactly its size. */
static void check_prefixes(const char *in, size_t size, int r, const http1_request *whole)
{
    static http1_request part;
    size_t ks[128], nk = 0;
    for (size_t k = 0; k <= size && k <= 32; k++) ks[nk++] = k;
    for (int i = 1; i <= 16; i++) {
        size_t k = size * (size_t)i / 16;
        if (k > 32) ks[nk++] = k;
    }
    if (r > 0) {
        for (size_t k = (size_t)r > 3 ? (size_t)r - 3 : 0; k <= (size_t)r + 3 && k <= size; k++)
            if (k > 32) ks[nk++] = k;
    }
    if (size >= HTTP1_MAX_HEAD_BYTES) {
        ks[nk++] = HTTP1_MAX_HEAD_BYTES - 1;
        ks[nk++] = HTTP1_MAX_HEAD_BYTES;
    }
    /* sort (insertion: nk is small) */
    for (size_t i = 1; i < nk; i++)
        for (size_t j = i; j > 0 && ks[j - 1] > ks[j]; j--) {
            size_t t = ks[j];
            ks[j] = ks[j - 1];
            ks[j - 1] = t;
        }
    bool error_seen = false;
    for (size_t i = 0; i < nk; i++) {
        size_t k = ks[i];
        if (i > 0 && k == ks[i - 1]) continue;
        char *b = malloc(k ? k : 1);
        FUZZ_CHECK(b != NULL);
        memcpy(b, in, k);
        int got = http1_parse_request(b, k, &part);
        check_result(b, k, got, &part);
        if (r > 0) {
            if (k < (size_t)r) FUZZ_CHECK(got == 0);
            else FUZZ_CHECK(got == r && same_request(whole, in, &part, b));
        } else if (r == 0) {
            FUZZ_CHECK(got == 0);
        } else if (error_seen) {
            FUZZ_CHECK(got == r && same_request(whole, in, &part, b));
        } else {
            FUZZ_CHECK(got == 0 || got == r);
            if (got == r) {
                FUZZ_CHECK(strcmp(part.error, whole->error) == 0);
                error_seen = true;
            }
        }
        free(b);
    }
}

/* Rebuilds the head canonically and parses it again. */
static void check_canonical(const http1_request *req)
{
    size_t cap = req->head_len + 4 * (req->num_headers + 2) + 16;
    char *c = malloc(cap);
    FUZZ_CHECK(c != NULL);
    size_t n = 0;
#define PUT(p, l) do { FUZZ_CHECK(n + (l) <= cap); memcpy(c + n, (p), (l)); n += (l); } while (0)
    PUT(req->method.ptr, req->method.len);
    PUT(" ", 1);
    PUT(req->target.ptr, req->target.len);
    char v[16];
    snprintf(v, sizeof v, " HTTP/1.%d\r\n", req->version_minor);
    PUT(v, strlen(v));
    for (size_t i = 0; i < req->num_headers; i++) {
        PUT(req->headers[i].name.ptr, req->headers[i].name.len);
        PUT(": ", 2);
        PUT(req->headers[i].value.ptr, req->headers[i].value.len);
        PUT("\r\n", 2);
    }
    PUT("\r\n", 2);
#undef PUT
    char *exact = malloc(n);
    FUZZ_CHECK(exact != NULL);
    memcpy(exact, c, n);
    free(c);
    static http1_request again;
    int r = http1_parse_request(exact, n, &again);
    if (n > HTTP1_MAX_HEAD_BYTES) {
        FUZZ_CHECK(r == HTTP1_HEADERS_TOO_LARGE);
    } else {
        FUZZ_CHECK(r == (int)n);
        FUZZ_CHECK(again.method_id == req->method_id && again.form == req->form &&
                   again.has_query == req->has_query && again.version_minor == req->version_minor &&
                   again.content_length == req->content_length && again.keep_alive == req->keep_alive &&
                   again.expect_continue == req->expect_continue && again.num_headers == req->num_headers);
        FUZZ_CHECK(same_bytes(again.method, req->method) && same_bytes(again.target, req->target) &&
                   same_bytes(again.path, req->path) && same_bytes(again.query, req->query) &&
                   same_bytes(again.authority, req->authority) && same_bytes(again.host, req->host));
        FUZZ_CHECK(again.path.ptr - again.target.ptr == req->path.ptr - req->target.ptr);
        for (size_t i = 0; i < req->num_headers; i++)
            FUZZ_CHECK(same_bytes(again.headers[i].name, req->headers[i].name) &&
                       same_bytes(again.headers[i].value, req->headers[i].value));
    }
    free(exact);
}

static void check_helpers(const char *in, size_t size, const http1_request *req)
{
    /* every key of the query is found, and its value lies in the query */
    const char *p = req->query.ptr, *e = req->query.ptr + req->query.len;
    while (p < e) {
        const char *amp = memchr(p, '&', (size_t)(e - p));
        const char *pe = amp ? amp : e;
        const char *eq = memchr(p, '=', (size_t)(pe - p));
        const char *ke = eq ? eq : pe;
        char key[64];
        if (pe > p && (size_t)(ke - p) < sizeof key) {
            memcpy(key, p, (size_t)(ke - p));
            key[ke - p] = 0;
            http1_str v;
            FUZZ_CHECK(http1_query_get(req->query, key, &v));
            FUZZ_CHECK(inside(v, req->query.ptr, req->query.len));
            FUZZ_CHECK(v.ptr <= pe);
        }
        p = amp ? amp + 1 : e;
    }

    http1_str absent;
    FUZZ_CHECK(!http1_query_get(req->query, "\x01", &absent) && absent.len == 0);
    FUZZ_CHECK(!http1_header_get(req, "x-no-such-header:", &absent) && absent.len == 0);

    /* decoding never grows, and refuses a buffer too small */
    http1_str parts[2] = { req->path, req->query };
    for (int i = 0; i < 2; i++) {
        char *out = malloc(parts[i].len ? parts[i].len : 1);
        FUZZ_CHECK(out != NULL);
        long d = http1_percent_decode(parts[i], out, parts[i].len, i == 1);
        FUZZ_CHECK(d >= -1 && d <= (long)parts[i].len);
        if (d > 0) FUZZ_CHECK(http1_percent_decode(parts[i], out, (size_t)d - 1, i == 1) == -1);
        free(out);
    }

    /* responses: a status from the input, the first header value as a
     * content type (no control characters, so it is accepted) */
    int status = 100 + (int)((unsigned char)in[0] * 4 + (size > 1 ? (unsigned char)in[1] : 0)) % 900;
    char ct[256] = "text/plain";
    if (req->num_headers && req->headers[0].value.len < sizeof ct) {
        memcpy(ct, req->headers[0].value.ptr, req->headers[0].value.len);
        ct[req->headers[0].value.len] = 0;
        if (strlen(ct) != req->headers[0].value.len) strcpy(ct, "x");   /* a NUL: cannot be, but */
    }
    char out[512];
    int n = http1_format_response_to(req, out, sizeof out, status, ct, size, req->keep_alive);
    FUZZ_CHECK(n > 0 && (size_t)n == strlen(out));
    FUZZ_CHECK(strncmp(out, "HTTP/1.1 ", 9) == 0 && strcmp(out + n - 4, "\r\n\r\n") == 0);
    FUZZ_CHECK((strstr(out, "\r\nConnection: close\r\n") != NULL) == !req->keep_alive);
    for (int cap = n - 1; cap >= n - 3 && cap >= 0; cap--)
        FUZZ_CHECK(http1_format_response_to(req, out, (size_t)cap, status, ct, size, true) == -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    static http1_request req, again;
    int r = http1_parse_request(in, size, &req);
    check_result(in, size, r, &req);
    FUZZ_CHECK(http1_parse_request(in, size, &again) == r && same_request(&req, in, &again, in));
    check_prefixes(in, size, r, &req);
    if (r > 0) {
        /* the consumed prefix alone, in a buffer of its size */
        char *head = malloc((size_t)r);
        FUZZ_CHECK(head != NULL);
        memcpy(head, in, (size_t)r);
        FUZZ_CHECK(http1_parse_request(head, (size_t)r, &again) == r && same_request(&req, in, &again, head));
        free(head);
        check_canonical(&req);
        check_helpers(in, size, &req);
    }
    /* error answers with arbitrary details: never a control character out */
    if (size > 0) {
        char detail[64], out[256];
        size_t dl = size < sizeof detail - 1 ? size : sizeof detail - 1;
        memcpy(detail, in, dl);
        detail[dl] = 0;
        int n = http1_format_error(out, sizeof out, -(100 + (unsigned char)in[0] * 3), detail);
        FUZZ_CHECK(n > 0);
        const char *body = strstr(out, "\r\n\r\n");
        FUZZ_CHECK(body != NULL);
        for (const char *q = body + 4; *q; q++) FUZZ_CHECK(!is_ctl((unsigned char)*q));
    }
    return 0;
}
