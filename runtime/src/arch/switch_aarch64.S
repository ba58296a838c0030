/*
 * switch_aarch64.S — goroutine context switch for AArch64 (AAPCS64, Linux).
 *
 *   void gort_ctx_switch(void **save_sp, void *load_sp);
 *   void gort_ctx_trampoline(void);      (first "return" of a new goroutine)
 *
 * This file owns the register-level half of a goroutine switch; ctx_init in
 * arch/ctx.h builds the first frame of a new goroutine to the same layout.
 * A suspended context is its stack pointer; the callee-saved state sits on
 * its stack in a 176-byte frame (22 words, a multiple of 16 so that sp stays
 * 16-byte aligned), laid out from the saved sp upward as:
 *
 *   +0   x19  +8   x20  +16  x21  +24  x22  +32  x23
 *   +40  x24  +48  x25  +56  x26  +64  x27  +72  x28
 *   +80  x29 (fp)       +88  x30 (lr: where the context resumes)
 *   +96  d8   +104 d9   +112 d10  +120 d11
 *   +128 d12  +136 d13  +144 d14  +152 d15
 *   +160 FPCR           +168 unused (padding)
 *
 * Only the low 64 bits of v8..v15 are callee-saved (AAPCS64), hence d8..d15.
 * FPCR (rounding mode, flush-to-zero, default-NaN, trap enables) is control
 * state that each goroutine owns, so it is saved and restored; FPSR holds only
 * the cumulative status flags, which are not callee-saved, and is left alone.
 * `msr fpcr` may be a serialising, slow instruction on some cores, so FPCR is
 * written only when the resumed context's value differs from the current one
 * (the x86-64 switch does the same with MXCSR); the common case is one `mrs`
 * and a compare.  Nothing else is saved: the signal mask belongs to the
 * thread, and no system call is made.  Nothing is written below sp, and sp is
 * only ever moved to another 16-byte aligned stack address.
 *
 * BTI: `bti c` is in the hint space (hint #34), a no-op on cores without BTI
 * and on pages not mapped with PROT_BTI, so gort_ctx_switch starts with it.
 * The trampoline is reached by `ret`, which BTI does not check, so it needs
 * no landing pad.  The object is still not marked BTI/PAC compatible (no
 * GNU property note), so the linker does not enable BTI for the binary on the
 * strength of this file.
 */
    .section gort_text,"ax",%progbits   /* the runtime's code (cmake/gort_text_section.sh) */
    .globl  gort_ctx_switch
    .hidden gort_ctx_switch
    .type   gort_ctx_switch, %function
    .p2align 4
gort_ctx_switch:
    .cfi_startproc
    hint    #34                     /* bti c */
    sub     sp, sp, #176
    .cfi_adjust_cfa_offset 176
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    .cfi_rel_offset x19, 0
    .cfi_rel_offset x20, 8
    .cfi_rel_offset x21, 16
    .cfi_rel_offset x22, 24
    .cfi_rel_offset x23, 32
    .cfi_rel_offset x24, 40
    .cfi_rel_offset x25, 48
    .cfi_rel_offset x26, 56
    .cfi_rel_offset x27, 64
    .cfi_rel_offset x28, 72
    .cfi_rel_offset x29, 80
    .cfi_rel_offset x30, 88
    stp     d8,  d9,  [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mrs     x9, fpcr
    str     x9, [sp, #160]          /* x9 = current FPCR, kept for the compare */
    mov     x10, sp
    str     x10, [x0]               /* *save_sp = sp */
    mov     sp, x1                  /* switch stacks */
    ldr     x10, [sp, #160]
    cmp     x9, x10
    b.ne    .Lload_fpcr
.Lrestore:
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     d8,  d9,  [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    add     sp, sp, #176
    ret
.Lload_fpcr:
    msr     fpcr, x10
    b       .Lrestore
    .cfi_endproc
    .size   gort_ctx_switch, .-gort_ctx_switch

/* Entered by the `ret` of the first switch to a new goroutine, with
 * x19 = entry function and x20 = its argument (see ctx_init in arch/ctx.h),
 * sp 16-byte aligned at the top of the new stack.  Reached by `ret`, not by
 * an indirect branch, so no BTI landing pad is needed here.  x29 = x30 = 0
 * ends frame-pointer chains (backtraces stop here) and .cfi_undefined x30
 * ends unwinding.  The entry function never returns; if it did, brk traps. */
    .globl  gort_ctx_trampoline
    .hidden gort_ctx_trampoline
    .type   gort_ctx_trampoline, %function
    .p2align 4
gort_ctx_trampoline:
    .cfi_startproc
    .cfi_undefined x30
    mov     x29, #0
    mov     x30, #0
    mov     x0, x20
    blr     x19
    brk     #0x3e8
    .cfi_endproc
    .size   gort_ctx_trampoline, .-gort_ctx_trampoline

/* void gort_call_on_stack(void *top, void (*fn)(void *), void *arg):
 * calls fn(arg) with sp at `top` (rounded down to 16 bytes) and returns on
 * the caller's stack (Go's systemstack; see systemstack in sched.c).  x29
 * keeps the caller's frame, so the frame-pointer chain and the CFI unwind
 * from fn back into the caller's stack. */
    .globl  gort_call_on_stack
    .hidden gort_call_on_stack
    .type   gort_call_on_stack, %function
    .p2align 4
gort_call_on_stack:
    .cfi_startproc
    hint    #34                     /* bti c */
    stp     x29, x30, [sp, #-16]!
    .cfi_adjust_cfa_offset 16
    .cfi_rel_offset x29, 0
    .cfi_rel_offset x30, 8
    mov     x29, sp
    .cfi_def_cfa_register x29
    and     x9, x0, #-16
    mov     sp, x9
    mov     x9, x1
    mov     x0, x2
    blr     x9
    mov     sp, x29
    .cfi_def_cfa_register sp
    ldp     x29, x30, [sp], #16
    .cfi_adjust_cfa_offset -16
    .cfi_restore x29
    .cfi_restore x30
    ret
    .cfi_endproc
    .size   gort_call_on_stack, .-gort_call_on_stack

    .section .note.GNU-stack,"",%progbits
