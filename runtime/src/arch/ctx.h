/*
 * ctx.h — the machine-dependent part of a goroutine switch.
 *
 * A suspended context is just its saved stack pointer; the registers are on
 * its stack (arch/switch_*.S documents the layout).  ctx_init builds the
 * frame that makes the first switch to a new stack call entry(arg).
 */
#ifndef GORT_ARCH_CTX_H
#define GORT_ARCH_CTX_H

#include <stdint.h>
#include <string.h>

void gort_ctx_switch(void **save_sp, void *load_sp);
void gort_ctx_trampoline(void);
/* Calls fn(arg) on the stack whose top is `top`, then returns here. */
void gort_call_on_stack(void *top, void (*fn)(void *), void *arg);

#if defined(__x86_64__)
/* Where the switch frame keeps the frame pointer, with the return address
 * in the next word (traceback.c walks a parked goroutine from there). */
#define CTX_SAVED_FP_OFFSET 48
#define CTX_FRAME_BYTES     64
/* 7 saved words (FP control, r15, r14, r13, r12, rbx, rbp) + return address */
static inline void *ctx_init(char *stack_top, void (*entry)(void *), void *arg)
{
    uint64_t *sp = (uint64_t *)(((uintptr_t)stack_top & ~(uintptr_t)15) - 80);
    memset(sp, 0, 80);
    sp[0] = 0x1F80u | ((uint64_t)0x037Fu << 32);  /* default MXCSR, x87 CW */
    sp[4] = (uint64_t)(uintptr_t)entry;              /* r12 */
    sp[3] = (uint64_t)(uintptr_t)arg;                /* r13 */
    sp[7] = (uint64_t)(uintptr_t)gort_ctx_trampoline;
    return sp;
}
#elif defined(__aarch64__)
#define CTX_SAVED_FP_OFFSET 80   /* x29, then x30 (lr) */
#define CTX_FRAME_BYTES     176
/* Layout in switch_aarch64.S: x19..x28, x29 (fp), x30 (lr), d8..d15, FPCR. */
static inline void *ctx_init(char *stack_top, void (*entry)(void *), void *arg)
{
    uint64_t *sp = (uint64_t *)(((uintptr_t)stack_top & ~(uintptr_t)15) - 176);
    memset(sp, 0, 176);
    sp[0] = (uint64_t)(uintptr_t)entry;              /* x19 */
    sp[1] = (uint64_t)(uintptr_t)arg;                /* x20 */
    sp[11] = (uint64_t)(uintptr_t)gort_ctx_trampoline; /* x30 */
    return sp;
}
#else
#error "gort: no context switch for this architecture (x86-64 and AArch64 are supported)"
#endif

#endif
