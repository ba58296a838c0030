/* leak_capture.h — for the `leaks` tests: runs gort_leakcheck with fd 2
 * redirected to a temporary file and returns what it wrote, so a test can
 * check both the count and the report.  Nothing else in these tests writes to
 * stderr while the check runs. */
#ifndef GORT_CONFORMANCE_LEAK_CAPTURE_H
#define GORT_CONFORMANCE_LEAK_CAPTURE_H

#include "exit/run_child.h"   /* check.h, has_site, next_header */

/* Runs gort_leakcheck(timeout_ns); *out gets its stderr (malloc'ed, NUL
 * terminated), *elapsed_ns how long it took.  Returns its result. */
static CHECK_UNUSED int leakcheck_capture(int64_t timeout_ns, char **out, int64_t *elapsed_ns)
{
    char path[] = "/tmp/gort-leakcheck-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    unlink(path);
    int saved = dup(2);
    CHECK(saved >= 0);
    CHECK(dup2(fd, 2) == 2);
    int64_t t0 = now_ns();
    int n = gort_leakcheck(timeout_ns);
    int64_t t1 = now_ns();
    dup2(saved, 2);
    close(saved);
    char *s = file_to_string(fd);
    CHECK(s != NULL);
    *out = s;
    if (elapsed_ns) *elapsed_ns = t1 - t0;
    return n;
}

/* The block of the report that starts with `goroutine ID [` (up to the next
 * goroutine header), copied into buf; NULL when there is none. */
static CHECK_UNUSED const char *goroutine_block(const char *report, uint64_t id, char *buf, size_t cap)
{
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [", (unsigned long long)id);
    const char *p = report;
    for (;;) {
        p = strstr(p, head);
        if (!p) return NULL;
        if (p == report || p[-1] == '\n') break;   /* a header, not "... in goroutine N" */
        p++;
    }
    const char *end = next_header(p + 1);
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n >= cap) n = cap - 1;
    memcpy(buf, p, n);
    buf[n] = 0;
    return buf;
}

/* Number of goroutine headers (lines `goroutine N [...]:`) in a report. */
static CHECK_UNUSED int count_headers(const char *report)
{
    int n = 0;
    for (const char *p = report; p && *p; ) {
        unsigned long long id;
        char c;
        if (sscanf(p, "goroutine %llu %c", &id, &c) == 2 && c == '[') n++;
        p = strchr(p, '\n');
        if (p) p++;
    }
    return n;
}

#endif
