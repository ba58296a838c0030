/*
 * http_test.h — helpers shared by the HTTP/1.1 parser tests in this folder
 * (examples/http/http1.h): parse a C string, compare a slice with a literal,
 * compare two parse results field by field.
 */
#ifndef GORT_CONFORMANCE_HTTP_TEST_H
#define GORT_CONFORMANCE_HTTP_TEST_H

#include "check.h"
#include "http1.h"

/* Parses the NUL-terminated s (without its NUL). */
static CHECK_UNUSED int parse_cstr(const char *s, http1_request *req)
{
    return http1_parse_request(s, strlen(s), req);
}

/* A slice equals a literal, byte for byte. */
static CHECK_UNUSED bool str_is(http1_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && (n == 0 || memcmp(s.ptr, lit, n) == 0);
}

#define CHECK_STR(slice, lit) \
    CHECK_MSG(str_is((slice), (lit)), "got \"%.*s\" (%zu bytes), want \"%s\"", \
              (int)((slice).len > 200 ? 200 : (slice).len), (slice).ptr, (slice).len, (lit))

/* Parses s and checks the result is `want` (a length, 0 or an error); on a
 * mismatch names the input and the error text. */
#define CHECK_PARSE(s, req, want) \
    do { \
        int check_got_ = parse_cstr((s), (req)); \
        CHECK_MSG(check_got_ == (want), "input \"%s\": got %d (%s), want %d", (s), check_got_, \
                  (req)->error ? (req)->error : "no error", (int)(want)); \
    } while (0)

/* Parses s, which must be exactly one complete head. */
#define CHECK_PARSE_ALL(s, req) CHECK_PARSE((s), (req), (int)strlen(s))

/* Two slices at the same offsets from their bases, with the same lengths. */
static CHECK_UNUSED bool same_slice(http1_str a, const char *abase, http1_str b, const char *bbase)
{
    return a.len == b.len && (a.ptr - abase) == (b.ptr - bbase);
}

/* Two parse results of the same bytes (possibly in different buffers)
 * describe the same request. */
static CHECK_UNUSED bool same_request(const http1_request *a, const char *abase,
                                      const http1_request *b, const char *bbase)
{
    if (a->method_id != b->method_id || a->form != b->form || a->has_query != b->has_query ||
        a->version_major != b->version_major || a->version_minor != b->version_minor ||
        a->content_length != b->content_length || a->keep_alive != b->keep_alive ||
        a->expect_continue != b->expect_continue || a->head_len != b->head_len ||
        a->num_headers != b->num_headers || (a->error == NULL) != (b->error == NULL))
        return false;
    if (a->error && strcmp(a->error, b->error) != 0) return false;
    if (a->error) return true;       /* the other fields are unspecified after an error */
    if (!same_slice(a->method, abase, b->method, bbase) ||
        !same_slice(a->target, abase, b->target, bbase) ||
        !same_slice(a->path, abase, b->path, bbase) ||
        !same_slice(a->query, abase, b->query, bbase) ||
        !same_slice(a->authority, abase, b->authority, bbase) ||
        !same_slice(a->host, abase, b->host, bbase))
        return false;
    for (size_t i = 0; i < a->num_headers; i++)
        if (!same_slice(a->headers[i].name, abase, b->headers[i].name, bbase) ||
            !same_slice(a->headers[i].value, abase, b->headers[i].value, bbase))
            return false;
    return true;
}

#endif /* GORT_CONFORMANCE_HTTP_TEST_H */
