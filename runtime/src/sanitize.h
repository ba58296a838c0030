/*
 * sanitize.h — telling AddressSanitizer and ThreadSanitizer about goroutine
 * stacks, switches and synchronisation (Valgrind's stack registration is in
 * stack.c).  Everything here compiles to nothing in a normal build.
 *
 * ASan keeps per-stack state (fake stacks for use-after-return, the bounds
 * of the current stack); each switch is bracketed: san_switch_begin just
 * before gort_ctx_switch (with the stack being switched to, and a place to
 * keep this context's fake stack, or NULL when this context will never run
 * again), san_switch_end first thing where a context resumes (with the
 * fake stack it kept).
 */
#ifndef GORT_SANITIZE_H
#define GORT_SANITIZE_H

#include <stddef.h>

#if defined(GORT_SANITIZE_ADDRESS)
#include <sanitizer/common_interface_defs.h>

static inline void san_switch_begin(void **fake_save, const void *to_lo, size_t to_size)
{
    __sanitizer_start_switch_fiber(fake_save, to_lo, to_size);
}

static inline void san_switch_end(void *fake_save)
{
    __sanitizer_finish_switch_fiber(fake_save, NULL, NULL);
}

#include <sanitizer/asan_interface.h>
/* A reused stack still carries the poisoned redzones of frames that its
 * last goroutine never returned from: clear them before it runs again. */
static inline void san_stack_fresh(const void *lo, size_t size)
{
    __asan_unpoison_memory_region(lo, size);
}
/* Frames about to be left without returning (a preempted goroutine going
 * back through rt_sigreturn): their redzones must not stay poisoned. */
static inline void san_handle_no_return(void) { __asan_handle_no_return(); }
#else
static inline void san_handle_no_return(void) {}
static inline void san_stack_fresh(const void *lo, size_t size)
{
    (void)lo;
    (void)size;
}

static inline void san_switch_begin(void **fake_save, const void *to_lo, size_t to_size)
{
    (void)fake_save;
    (void)to_lo;
    (void)to_size;
}

static inline void san_switch_end(void *fake_save) { (void)fake_save; }
#endif

/* ThreadSanitizer.  The runtime itself is built without instrumentation
 * (its own data is shared between goroutines by design and synchronised by
 * means TSan cannot see across fibers); programs using it are instrumented.
 * Each goroutine is a TSan fiber, switched to without implied
 * synchronisation, so two goroutines that take turns on one thread are
 * still checked against each other; the happens-before edges come from the
 * race_acquire/race_release calls in every synchronising operation. */
#if defined(GORT_SANITIZE_THREAD)
#include <sanitizer/tsan_interface.h>
#define RACE_ENABLED 1
static inline void *race_fiber_current(void) { return __tsan_get_current_fiber(); }
static inline void *race_fiber_new(void) { return __tsan_create_fiber(0); }
static inline void race_fiber_free(void *f)
{
    if (f)
        __tsan_destroy_fiber(f);
}
static inline void race_fiber_switch(void *f)
{
    __tsan_switch_to_fiber(f, __tsan_switch_to_fiber_no_sync);
}
/* Reports then name the goroutine, not an anonymous thread (TSan copies
 * the name). */
static inline void race_fiber_name(void *f, const char *name) { __tsan_set_fiber_name(f, name); }
static inline void race_acquire(const void *addr) { __tsan_acquire((void *)addr); }
static inline void race_release(const void *addr) { __tsan_release((void *)addr); }
/* The current fiber's memory accesses go unrecorded in between (libtsan
 * exports these; its header does not declare them).  For runtime work done
 * on the scheduler stack on a goroutine's behalf (systemstack): that stack
 * is the M's g0 fiber's, and TSan would report its reuse by the goroutine's
 * fiber as a race on the stack's memory.  Runtime work is not checked in
 * any case (the runtime is not instrumented). */
void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);
static inline void race_ignore_begin(void) { __tsan_ignore_thread_begin(); }
static inline void race_ignore_end(void) { __tsan_ignore_thread_end(); }
#else
#define RACE_ENABLED 0
static inline void *race_fiber_current(void) { return NULL; }
static inline void *race_fiber_new(void) { return NULL; }
static inline void race_fiber_free(void *f) { (void)f; }
static inline void race_fiber_switch(void *f) { (void)f; }
static inline void race_fiber_name(void *f, const char *name) { (void)f; (void)name; }
static inline void race_acquire(const void *addr) { (void)addr; }
static inline void race_release(const void *addr) { (void)addr; }
static inline void race_ignore_begin(void) {}
static inline void race_ignore_end(void) {}
#endif

#endif
