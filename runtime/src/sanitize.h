/*
 * sanitize.h — telling AddressSanitizer (and later ThreadSanitizer and
 * Valgrind) about goroutine stacks and switches.  Everything here compiles
 * to nothing in a normal build.
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
#else
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

#endif
