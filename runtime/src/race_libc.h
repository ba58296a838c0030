/*
 * race_libc.h — included first into every runtime file of a ThreadSanitizer
 * build (and nowhere else).  The runtime is not instrumented, but the libc
 * functions it calls are intercepted by TSan, which would then see the
 * runtime's own memory (descriptors, timer heaps, channel buffers) touched
 * from many goroutines' fibers without the synchronisation the runtime
 * really uses.  These wrappers make those calls invisible to TSan.
 */
#ifndef GORT_RACE_LIBC_H
#define GORT_RACE_LIBC_H
#if defined(GORT_SANITIZE_THREAD)

#include <stdlib.h>
#include <string.h>

void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);

static inline void *race_memcpy_(void *d, const void *s, size_t n)
{
    __tsan_ignore_thread_begin();
    void *r = (memcpy)(d, s, n);
    __tsan_ignore_thread_end();
    return r;
}
static inline void *race_memset_(void *d, int c, size_t n)
{
    __tsan_ignore_thread_begin();
    void *r = (memset)(d, c, n);
    __tsan_ignore_thread_end();
    return r;
}
static inline void *race_malloc_(size_t n)
{
    __tsan_ignore_thread_begin();
    void *r = (malloc)(n);
    __tsan_ignore_thread_end();
    return r;
}
static inline void *race_calloc_(size_t a, size_t b)
{
    __tsan_ignore_thread_begin();
    void *r = (calloc)(a, b);
    __tsan_ignore_thread_end();
    return r;
}
static inline void *race_realloc_(void *p, size_t n)
{
    __tsan_ignore_thread_begin();
    void *r = (realloc)(p, n);
    __tsan_ignore_thread_end();
    return r;
}
static inline void race_free_(void *p)
{
    __tsan_ignore_thread_begin();
    (free)(p);
    __tsan_ignore_thread_end();
}
static inline void race_qsort_(void *b, size_t n, size_t sz, int (*cmp)(const void *, const void *))
{
    __tsan_ignore_thread_begin();
    (qsort)(b, n, sz, cmp);
    __tsan_ignore_thread_end();
}
#include <sys/mman.h>
static inline int race_mincore_(void *a, size_t n, unsigned char *vec)
{
    __tsan_ignore_thread_begin();
    int r = (mincore)(a, n, vec);
    __tsan_ignore_thread_end();
    return r;
}
#define mincore race_mincore_
#define memcpy  race_memcpy_
#define memset  race_memset_
#define malloc  race_malloc_
#define calloc  race_calloc_
#define realloc race_realloc_
#define free    race_free_
#define qsort   race_qsort_

#endif
#endif
