/*
 * switch_x86_64.S — goroutine context switch for x86-64 (System V).
 *
 *   void gort_ctx_switch(void **save_sp, void *load_sp);
 *   void gort_ctx_trampoline(void);      (first "return" of a new goroutine)
 *   void gort_call_on_stack(void *top, void (*fn)(void *), void *arg);
 *
 * A suspended context is its stack pointer; the callee-saved registers sit
 * on its stack, laid out (from the saved sp upward) as:
 *
 *   +0  MXCSR (4 bytes)  +4  x87 control word (2 bytes)  +6 unused
 *   +8  r15  +16 r14  +24 r13  +32 r12  +40 rbx  +48 rbp  +56 return address
 *
 * Only the control bits of MXCSR and the x87 control word are callee-saved
 * (the status flags are not).  Reloading them costs ~50 ns when it changes
 * the register, so they are reloaded only when the resumed context's control
 * bits differ from the current ones (known from the values just saved, so
 * each register is read once per switch), keeping the current status flags.
 * Nothing else is saved: the signal mask belongs to the thread, and no
 * system call is made.  The code writes below the stack pointer only within
 * the 128-byte red zone.  Not marked as shadow-stack (CET) compatible: a new
 * goroutine starts by a `ret` into the trampoline.
 */
    .section gort_text,"ax",@progbits   /* the runtime's code (cmake/gort_text_section.sh) */
    .globl  gort_ctx_switch
    .hidden gort_ctx_switch
    .type   gort_ctx_switch, @function
    .p2align 4
gort_ctx_switch:
    .cfi_startproc
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    subq    $8, %rsp
    stmxcsr (%rsp)
    fnstcw  4(%rsp)
    movq    %rsp, (%rdi)
    /* The values just saved are the current ones: compare the resumed
     * context's with them instead of reading the registers again
     * (stmxcsr is the slow part of a switch). */
    movl    (%rsp), %eax            /* current MXCSR */
    movzwl  4(%rsp), %edx           /* current x87 control word */
    movq    %rsi, %rsp
    movl    (%rsp), %ecx
    xorl    %eax, %ecx
    testl   $0xffc0, %ecx           /* control bits 6..15 differ? */
    jnz     .Lload_mxcsr
.Lcheck_x87:
    cmpw    4(%rsp), %dx
    jne     .Lload_x87
.Lpop:
    addq    $8, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
.Lload_mxcsr:
    andl    $0x3f, %eax             /* keep the current status flags */
    movl    (%rsp), %ecx            /* take the saved control bits */
    andl    $0xffffffc0, %ecx
    orl     %ecx, %eax
    movl    %eax, -8(%rsp)          /* red zone */
    ldmxcsr -8(%rsp)
    jmp     .Lcheck_x87
.Lload_x87:
    fldcw   4(%rsp)
    jmp     .Lpop
    .cfi_endproc
    .size   gort_ctx_switch, .-gort_ctx_switch

/* Entered by the `ret` of the first switch to a new goroutine, with
 * r12 = entry function and r13 = its argument (see ctx_init in sched.c).
 * The entry function never returns. */
    .globl  gort_ctx_trampoline
    .hidden gort_ctx_trampoline
    .type   gort_ctx_trampoline, @function
    .p2align 4
gort_ctx_trampoline:
    .cfi_startproc
    .cfi_undefined rip
    xorl    %ebp, %ebp
    movq    %r13, %rdi
    andq    $-16, %rsp
    callq   *%r12
    ud2
    .cfi_endproc
    .size   gort_ctx_trampoline, .-gort_ctx_trampoline

/* Calls fn(arg) with the stack pointer at `top` (rounded down to 16 bytes)
 * and returns on the caller's stack: the same goroutine, another stack
 * (Go's systemstack; see systemstack in sched.c).  rbp keeps the caller's
 * frame, so the frame-pointer chain and the CFI unwind from fn back into
 * the caller's stack. */
    .globl  gort_call_on_stack
    .hidden gort_call_on_stack
    .type   gort_call_on_stack, @function
    .p2align 4
gort_call_on_stack:
    .cfi_startproc
    pushq   %rbp
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset rbp, 0
    movq    %rsp, %rbp
    .cfi_def_cfa_register rbp
    andq    $-16, %rdi
    movq    %rdi, %rsp
    movq    %rdx, %rdi
    callq   *%rsi
    movq    %rbp, %rsp
    .cfi_def_cfa_register rsp
    popq    %rbp
    .cfi_adjust_cfa_offset -8
    .cfi_restore rbp
    ret
    .cfi_endproc
    .size   gort_call_on_stack, .-gort_call_on_stack

    .section .note.GNU-stack,"",@progbits
