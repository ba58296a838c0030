/*
 * preempt_aarch64.S — where an asynchronously preempted goroutine goes
 * (AArch64, Linux).  preempt.c owns the protocol; this file saves and
 * restores the machine state around the call into the scheduler.
 *
 *   void gort__preempt_trampoline(void);   never called: the preemption
 *                                          signal's handler makes the
 *                                          interrupted code "call" it
 *   void gort__preempt_sigreturn(void *frame);  (never returns)
 *
 * The handler leaves the goroutine so (sp0, pc0: the interrupted stack
 * pointer and instruction; AArch64 has no red zone, and sp is 16-byte
 * aligned whenever it is used):
 *
 *   below sp0: the live SVE record, if any (preempt.c: arch_inject)
 *   sp = below that - 16, [sp] = pc0, [sp + 8] = sp0,
 *   pc = gort__preempt_trampoline
 *
 * with every other register, x30 included, as it was.  The trampoline
 * saves x0-x30, NZCV, FPSR, FPCR and q0-q31 in an 800-byte area below
 * (layout below, PREEMPT_SAVE_* in preempt.c), makes a frame record
 * (x29 chain: the interrupted x29 and pc0) so that backtraces walk into the
 * interrupted code, and calls gort__preempt_park(area), which parks the
 * goroutine and returns when it runs again, on this same thread.
 *
 * Going back needs every register restored and a jump to pc0 at once, and
 * C code may use every register, x16/x17 included, so no scratch register
 * can be spared for the jump.  The kernel can: gort__preempt_resume
 * (preempt.c) builds a signal frame from the area, and
 * gort__preempt_sigreturn points sp at it and makes the rt_sigreturn
 * system call, which loads x0-x30, sp, pc, NZCV and the FP/SIMD state
 * from it, as after any signal handler.  (A preemption happens at most
 * every 10 ms per thread: one system call more is nothing.)
 *
 *   +0   x0 .. x30 (8 bytes each)     +248 NZCV     +256 FPSR  +264 FPCR
 *   +272 q0 .. q31 (16 bytes each)    +784 frame record (x29, pc0)
 *   +800 the handler's 16 bytes: pc0, sp0
 *
 * Unwind information: the CFA is sp0, read from the handler's slot (x29 +
 * 24) once the frame record is made; x29 and the return address (pc0)
 * are in the frame record.
 */
    .section gort_text,"ax",%progbits
    .globl  gort__preempt_trampoline
    .hidden gort__preempt_trampoline
    .type   gort__preempt_trampoline, %function
    .p2align 4
gort__preempt_trampoline:
    .cfi_startproc
    .cfi_signal_frame
    sub     sp, sp, #800
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]
    mrs     x0, nzcv
    str     x0, [sp, #248]
    mrs     x0, fpsr
    mrs     x1, fpcr
    stp     x0, x1, [sp, #256]
    stp     q0, q1, [sp, #272]
    stp     q2, q3, [sp, #304]
    stp     q4, q5, [sp, #336]
    stp     q6, q7, [sp, #368]
    stp     q8, q9, [sp, #400]
    stp     q10, q11, [sp, #432]
    stp     q12, q13, [sp, #464]
    stp     q14, q15, [sp, #496]
    stp     q16, q17, [sp, #528]
    stp     q18, q19, [sp, #560]
    stp     q20, q21, [sp, #592]
    stp     q22, q23, [sp, #624]
    stp     q24, q25, [sp, #656]
    stp     q26, q27, [sp, #688]
    stp     q28, q29, [sp, #720]
    stp     q30, q31, [sp, #752]
    ldr     x1, [sp, #800]          /* pc0 */
    add     x2, sp, #784
    stp     x29, x1, [x2]           /* frame record: as if pc0 had called us */
    mov     x29, x2
    /* CFA = *(x29 + 24); x29 at x29 + 0; x30 (pc0) at x29 + 8 */
    .cfi_escape 0x0f, 0x03, 0x8d, 0x18, 0x06
    .cfi_escape 0x10, 0x1d, 0x02, 0x8d, 0x00
    .cfi_escape 0x10, 0x1e, 0x02, 0x8d, 0x08
    mov     x0, sp
    bl      gort__preempt_park
    mov     x0, sp
    bl      gort__preempt_resume    /* does not return */
    brk     #0x3e9
    .cfi_endproc
    .size   gort__preempt_trampoline, .-gort__preempt_trampoline

    .globl  gort__preempt_sigreturn
    .hidden gort__preempt_sigreturn
    .type   gort__preempt_sigreturn, %function
    .p2align 4
gort__preempt_sigreturn:
    .cfi_startproc
    mov     sp, x0
    mov     x8, #139                /* __NR_rt_sigreturn */
    svc     #0
    brk     #0x3ea
    .cfi_endproc
    .size   gort__preempt_sigreturn, .-gort__preempt_sigreturn

    .section .note.GNU-stack,"",%progbits
