/*
 * preempt_x86_64.S — where an asynchronously preempted goroutine goes
 * (x86-64, System V).  preempt.c owns the protocol; this file only saves
 * and restores the machine state around the call into the scheduler.
 *
 *   void gort__preempt_trampoline(void);   never called: the preemption
 *                                          signal's handler makes the
 *                                          interrupted code "call" it
 *
 * The handler leaves the interrupted goroutine so (rsp0, rip0 being the
 * interrupted stack pointer and instruction):
 *
 *   rsp = rsp0 - 136, [rsp] = rip0, rip = gort__preempt_trampoline
 *
 * so the 128-byte red zone below rsp0 (where a leaf function may keep live
 * data without moving rsp) is left untouched, and the trampoline starts as
 * if rip0 had called it.  It saves every general register (rsp and rip
 * are implied), the flags, and the whole extended state (x87, SSE, AVX,
 * AVX-512 ...: XSAVE with the mask of components the OS enabled, see
 * gort__preempt_xsave_mask; FXSAVE where the CPU has no XSAVE), clears the
 * direction flag (the ABI wants it clear at a call), aligns the stack and
 * calls gort__preempt_park, which parks the goroutine and returns when it
 * runs again, on this same thread.  Then it restores all of it and returns
 * with `ret $128`: rip = rip0, rsp = rsp0 - 136 + 8 + 128 = rsp0, without
 * a scratch register and without touching the red zone.
 *
 * Frame, from rbp up: [rbp] interrupted rbp, [rbp+8] rip0 — a standard
 * frame record, so backtraces of a preempted goroutine walk from here into
 * the code it was running.
 */
    .section gort_text,"ax",@progbits
    .globl  gort__preempt_trampoline
    .hidden gort__preempt_trampoline
    .type   gort__preempt_trampoline, @function
    .p2align 4
gort__preempt_trampoline:
    .cfi_startproc
    .cfi_def_cfa_offset 8
    pushq   %rbp
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset rbp, 0
    movq    %rsp, %rbp
    .cfi_def_cfa_register rbp
    pushfq
    pushq   %rax
    pushq   %rbx
    pushq   %rcx
    pushq   %rdx
    pushq   %rsi
    pushq   %rdi
    pushq   %r8
    pushq   %r9
    pushq   %r10
    pushq   %r11
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    cld
    movq    %rsp, %rbx                      /* the GPR area; rbx survives the call */
    subq    gort__preempt_xsave_size(%rip), %rsp
    andq    $-64, %rsp
    cmpb    $0, gort__preempt_use_xsave(%rip)
    je      1f
    /* XRSTOR faults on a non-zero reserved header, which XSAVE does not
     * write: clear the 64-byte header at offset 512 first. */
    xorl    %eax, %eax
    movq    %rax, 512(%rsp)
    movq    %rax, 520(%rsp)
    movq    %rax, 528(%rsp)
    movq    %rax, 536(%rsp)
    movq    %rax, 544(%rsp)
    movq    %rax, 552(%rsp)
    movq    %rax, 560(%rsp)
    movq    %rax, 568(%rsp)
    movl    gort__preempt_xsave_mask(%rip), %eax
    movl    gort__preempt_xsave_mask+4(%rip), %edx
    xsave64 (%rsp)
    jmp     2f
1:  fxsave64 (%rsp)
2:  call    gort__preempt_park
    cmpb    $0, gort__preempt_use_xsave(%rip)
    je      3f
    movl    gort__preempt_xsave_mask(%rip), %eax
    movl    gort__preempt_xsave_mask+4(%rip), %edx
    xrstor64 (%rsp)
    jmp     4f
3:  fxrstor64 (%rsp)
4:  movq    %rbx, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %r11
    popq    %r10
    popq    %r9
    popq    %r8
    popq    %rdi
    popq    %rsi
    popq    %rdx
    popq    %rcx
    popq    %rbx
    popq    %rax
    popfq
    popq    %rbp
    .cfi_def_cfa rsp, 8
    ret     $128
    .cfi_endproc
    .size   gort__preempt_trampoline, .-gort__preempt_trampoline

    .section .note.GNU-stack,"",@progbits
