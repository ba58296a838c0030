/*
 * sigfmt.h — formatting text without stdio, for code that may run in a
 * signal handler (the fault and SIGQUIT reports, the dump's lines, raw
 * backtraces).  snprintf is not async-signal-safe: it may take a lock or
 * allocate (locales, wide output), and a handler may have interrupted the
 * thread that held it.  These write into a fixed buffer on the caller's
 * stack, truncate silently, and never call anything but memcpy.
 */
#ifndef GORT_SIGFMT_H
#define GORT_SIGFMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct sigfmt {
    char   buf[480];
    size_t n;
} sigfmt;

static inline void sf_str(sigfmt *f, const char *s)
{
    if (!s)
        s = "(null)";
    size_t len = strlen(s), room = sizeof f->buf - f->n;
    if (len > room)
        len = room;
    memcpy(f->buf + f->n, s, len);
    f->n += len;
}

static inline void sf_u64(sigfmt *f, uint64_t v)
{
    char d[24];
    int i = (int)sizeof d;
    d[--i] = 0;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v && i > 0);
    sf_str(f, d + i);
}

static inline void sf_i64(sigfmt *f, int64_t v)
{
    if (v < 0) {
        sf_str(f, "-");
        sf_u64(f, (uint64_t)0 - (uint64_t)v);
    } else {
        sf_u64(f, (uint64_t)v);
    }
}

/* 0x and lower-case hex digits, as %p prints them. */
static inline void sf_hex(sigfmt *f, uintptr_t v)
{
    char d[2 + 2 * sizeof v + 1];
    int i = (int)sizeof d;
    d[--i] = 0;
    do {
        d[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    d[--i] = 'x';
    d[--i] = '0';
    sf_str(f, d + i);
}

#endif
