// A goroutine interrupted by asynchronous preemption resumes with every
// register as it was: on x86-64 all general registers but rsp and rbp (rax,
// rbx, rdx, rsi, rdi, r8-r15, and rcx, the loop counter, which must reach
// 0), RFLAGS (CF, PF, AF, ZF, SF, OF and DF, set on purpose), the vector
// registers (zmm0-31 and k0-k7 with AVX-512, else ymm0-15 with AVX, else
// xmm0-15), MXCSR (a non-default rounding mode, FTZ/DAZ, a status flag), the
// x87 control word (non-default rounding and precision) and three values on
// the x87 stack, and the 128-byte red zone below rsp (where a leaf function
// may keep data without moving rsp).  On AArch64: x0-x17, x19-x27 (x28 is
// the counter), NZCV, FPCR and v0-v31 (no red zone there).
//
// The checked code is an assembly function: it loads patterns that change
// every round into all of those, spins in a loop of `loop` (x86-64) or
// `sub` + `cbnz` (AArch64) instructions, which touch neither the flags nor
// any other register, then stores everything to memory, and C compares.
// Almost all of the test's time goes to that loop.  GOMAXPROCS=1 with 1 ms
// slices, next to a goroutine that counts its turns and yields: it runs only
// when the loop has been preempted, so the turns it took while a call was in
// progress count the preemptions inside the loop.  The test runs until 1000
// of them (alternating the stack's alignment mod 16 between rounds) and
// fails on the first mismatch, naming the register.
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_PREEMPT_AFTER_US=1000
// gort-test: timeout=60
#include "pre.h"

#define WANT_PREEMPTIONS 1000
#define DEADLINE_S 30
#define CALL_MS 20          /* each asm call spins about this long */

#define HIDDEN __attribute__((visibility("hidden"), used, aligned(64)))

#if defined(__x86_64__)

/* What the assembly functions load and what they store back.  GPRs by
 * encoding number: rax rcx rdx rbx rsp rbp rsi rdi r8 ... r15. */
HIDDEN uint64_t pre_pat_gpr[16], pre_out_gpr[16];
HIDDEN uint64_t pre_pat_vec[32][8], pre_out_vec[32][8];
HIDDEN uint64_t pre_pat_k[8], pre_out_k[8];
HIDDEN uint64_t pre_pat_red[16], pre_out_red[16];
HIDDEN double pre_pat_x87[3];
HIDDEN unsigned char pre_out_x87[3][16];
HIDDEN uint32_t pre_pat_mxcsr, pre_out_mxcsr, pre_saved_mxcsr;
HIDDEN uint16_t pre_pat_fcw, pre_out_fcw, pre_saved_fcw;
HIDDEN uint64_t pre_pat_flags, pre_out_flags;

/* void pre_regs_X(uint64_t iters (rdi), long misalign (rsi)).  Each asm
 * block pushes and pops its section: the compiler must find the section it
 * left in place for what it emits next. */
#define PRE_ASM_FN_BEGIN(name) \
    "    .pushsection .text\n" \
    "    .globl " name "\n" \
    "    .hidden " name "\n" \
    "    .type " name ", @function\n" \
    "    .p2align 4\n" \
    name ":\n" \
    "    pushq %rbp\n" \
    "    movq %rsp, %rbp\n" \
    "    pushq %rbx\n" \
    "    pushq %r12\n" \
    "    pushq %r13\n" \
    "    pushq %r14\n" \
    "    pushq %r15\n" \
    "    testq %rsi, %rsi\n" \
    "    jz 1f\n" \
    "    subq $8, %rsp\n"                 /* the other alignment mod 16 */ \
    "1:  movq %rdi, %rcx\n" \
    "    stmxcsr pre_saved_mxcsr(%rip)\n" \
    "    fnstcw pre_saved_fcw(%rip)\n"

/* After the vector registers: x87, MXCSR, flags, red zone, GPRs (in an
 * order where nothing touches what was loaded before it: mov, fld, ldmxcsr
 * leave RFLAGS alone; the red zone is written after the pushq/popfq that
 * sets the flags), then the loop, then everything to memory (GPRs and the
 * red zone before pushfq writes below rsp). */
#define PRE_ASM_MIDDLE \
    "    fldcw pre_pat_fcw(%rip)\n" \
    "    fldl pre_pat_x87+0(%rip)\n" \
    "    fldl pre_pat_x87+8(%rip)\n" \
    "    fldl pre_pat_x87+16(%rip)\n" \
    "    ldmxcsr pre_pat_mxcsr(%rip)\n" \
    "    pushq pre_pat_flags(%rip)\n" \
    "    popfq\n" \
    "    .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n" \
    "    movq pre_pat_red+8*\\i(%rip), %rax\n" \
    "    movq %rax, -128+8*\\i(%rsp)\n" \
    "    .endr\n" \
    "    movq pre_pat_gpr+8*0(%rip), %rax\n" \
    "    movq pre_pat_gpr+8*2(%rip), %rdx\n" \
    "    movq pre_pat_gpr+8*3(%rip), %rbx\n" \
    "    movq pre_pat_gpr+8*6(%rip), %rsi\n" \
    "    movq pre_pat_gpr+8*7(%rip), %rdi\n" \
    "    movq pre_pat_gpr+8*8(%rip), %r8\n" \
    "    movq pre_pat_gpr+8*9(%rip), %r9\n" \
    "    movq pre_pat_gpr+8*10(%rip), %r10\n" \
    "    movq pre_pat_gpr+8*11(%rip), %r11\n" \
    "    movq pre_pat_gpr+8*12(%rip), %r12\n" \
    "    movq pre_pat_gpr+8*13(%rip), %r13\n" \
    "    movq pre_pat_gpr+8*14(%rip), %r14\n" \
    "    movq pre_pat_gpr+8*15(%rip), %r15\n" \
    "    .p2align 4\n" \
    "2:  loop 2b\n" \
    "    movq %rax, pre_out_gpr+8*0(%rip)\n" \
    "    movq %rcx, pre_out_gpr+8*1(%rip)\n" \
    "    movq %rdx, pre_out_gpr+8*2(%rip)\n" \
    "    movq %rbx, pre_out_gpr+8*3(%rip)\n" \
    "    movq %rsi, pre_out_gpr+8*6(%rip)\n" \
    "    movq %rdi, pre_out_gpr+8*7(%rip)\n" \
    "    movq %r8, pre_out_gpr+8*8(%rip)\n" \
    "    movq %r9, pre_out_gpr+8*9(%rip)\n" \
    "    movq %r10, pre_out_gpr+8*10(%rip)\n" \
    "    movq %r11, pre_out_gpr+8*11(%rip)\n" \
    "    movq %r12, pre_out_gpr+8*12(%rip)\n" \
    "    movq %r13, pre_out_gpr+8*13(%rip)\n" \
    "    movq %r14, pre_out_gpr+8*14(%rip)\n" \
    "    movq %r15, pre_out_gpr+8*15(%rip)\n" \
    "    .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n" \
    "    movq -128+8*\\i(%rsp), %rax\n" \
    "    movq %rax, pre_out_red+8*\\i(%rip)\n" \
    "    .endr\n" \
    "    pushfq\n" \
    "    popq pre_out_flags(%rip)\n" \
    "    cld\n" \
    "    stmxcsr pre_out_mxcsr(%rip)\n" \
    "    fnstcw pre_out_fcw(%rip)\n" \
    "    fstpt pre_out_x87+0(%rip)\n" \
    "    fstpt pre_out_x87+16(%rip)\n" \
    "    fstpt pre_out_x87+32(%rip)\n" \
    "    ldmxcsr pre_saved_mxcsr(%rip)\n" \
    "    fldcw pre_saved_fcw(%rip)\n"

#define PRE_ASM_FN_END(name) \
    "    leaq -40(%rbp), %rsp\n" \
    "    popq %r15\n" \
    "    popq %r14\n" \
    "    popq %r13\n" \
    "    popq %r12\n" \
    "    popq %rbx\n" \
    "    popq %rbp\n" \
    "    ret\n" \
    "    .size " name ", .-" name "\n" \
    "    .popsection\n"

#define IRP16 "    .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
#define IRP32 "    .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"

__asm__(
    PRE_ASM_FN_BEGIN("pre_regs_avx512")
    IRP32 "    vmovdqu64 pre_pat_vec+64*\\i(%rip), %zmm\\i\n    .endr\n"
    "    .irp i,0,1,2,3,4,5,6,7\n    kmovq pre_pat_k+8*\\i(%rip), %k\\i\n    .endr\n"
    PRE_ASM_MIDDLE
    IRP32 "    vmovdqu64 %zmm\\i, pre_out_vec+64*\\i(%rip)\n    .endr\n"
    "    .irp i,0,1,2,3,4,5,6,7\n    kmovq %k\\i, pre_out_k+8*\\i(%rip)\n    .endr\n"
    "    vzeroupper\n"
    PRE_ASM_FN_END("pre_regs_avx512")

    PRE_ASM_FN_BEGIN("pre_regs_avx")
    IRP16 "    vmovdqu pre_pat_vec+64*\\i(%rip), %ymm\\i\n    .endr\n"
    PRE_ASM_MIDDLE
    IRP16 "    vmovdqu %ymm\\i, pre_out_vec+64*\\i(%rip)\n    .endr\n"
    "    vzeroupper\n"
    PRE_ASM_FN_END("pre_regs_avx")

    PRE_ASM_FN_BEGIN("pre_regs_sse")
    IRP16 "    movdqu pre_pat_vec+64*\\i(%rip), %xmm\\i\n    .endr\n"
    PRE_ASM_MIDDLE
    IRP16 "    movdqu %xmm\\i, pre_out_vec+64*\\i(%rip)\n    .endr\n"
    PRE_ASM_FN_END("pre_regs_sse"));

void pre_regs_avx512(uint64_t iters, long misalign);
void pre_regs_avx(uint64_t iters, long misalign);
void pre_regs_sse(uint64_t iters, long misalign);

static void (*regs_fn)(uint64_t, long);
static const char *variant;
static int nvec, vec_bytes, nk;

static void choose_variant(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) {
        regs_fn = pre_regs_avx512, variant = "AVX-512 (zmm0-31, k0-7)", nvec = 32, vec_bytes = 64, nk = 8;
    } else if (__builtin_cpu_supports("avx")) {
        regs_fn = pre_regs_avx, variant = "AVX (ymm0-15)", nvec = 16, vec_bytes = 32, nk = 0;
    } else {
        regs_fn = pre_regs_sse, variant = "SSE (xmm0-15)", nvec = 16, vec_bytes = 16, nk = 0;
    }
}

static const char *const gpr_names[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                           "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15" };

static uint64_t mix(uint64_t round, uint64_t what)
{
    uint64_t s = round * 0x9E3779B97F4A7C15ull ^ (what + 1) * 0xD1B54A32D192ED03ull;
    return rand_next(&s);
}

static void fill(uint64_t round)
{
    for (int i = 0; i < 16; i++) pre_pat_gpr[i] = mix(round, (uint64_t)i);
    for (int i = 0; i < 32; i++)
        for (int j = 0; j < 8; j++) pre_pat_vec[i][j] = mix(round, 100 + (uint64_t)(i * 8 + j));
    for (int i = 0; i < 8; i++) pre_pat_k[i] = mix(round, 400 + (uint64_t)i);
    for (int i = 0; i < 16; i++) pre_pat_red[i] = mix(round, 500 + (uint64_t)i);
    for (int i = 0; i < 3; i++) pre_pat_x87[i] = (double)(mix(round, 600 + (uint64_t)i) >> 11) / 3.0 + i;
    /* all exceptions masked; rounding toward zero/down/up; FTZ and DAZ on
     * odd rounds; the precision status flag (sticky) on rounds 4k+2, 4k+3 */
    static const uint32_t rc[3] = { 3u << 13, 1u << 13, 2u << 13 };
    pre_pat_mxcsr = 0x1F80u | rc[round % 3] | ((round & 1) ? 0x8040u : 0) | ((round & 2) ? 0x20u : 0);
    /* x87: all masked, rounding toward zero/down/up, single or double precision */
    static const uint16_t x87rc[3] = { 0x0C00, 0x0400, 0x0800 };
    pre_pat_fcw = (uint16_t)(0x007F | x87rc[round % 3] | ((round & 1) ? 0x0000 : 0x0200));
    /* CF always, then PF AF ZF SF DF OF by the round's bits; bit 1 is reserved-1 */
    pre_pat_flags = 0x2 | 0x1 | (mix(round, 700) & 0xCD4);
}

/* The first difference between what was loaded and what came back, or NULL. */
static const char *compare(char *buf, size_t cap)
{
    for (int i = 0; i < 16; i++) {
        if (i == 1 || i == 4 || i == 5) continue;   /* rcx is the counter; rsp, rbp kept */
        if (pre_out_gpr[i] != pre_pat_gpr[i]) {
            snprintf(buf, cap, "%s = %#llx, want %#llx", gpr_names[i], (unsigned long long)pre_out_gpr[i],
                     (unsigned long long)pre_pat_gpr[i]);
            return buf;
        }
    }
    if (pre_out_gpr[1] != 0) {
        snprintf(buf, cap, "rcx = %#llx after the loop, want 0", (unsigned long long)pre_out_gpr[1]);
        return buf;
    }
    if ((pre_out_flags & 0xCD5) != (pre_pat_flags & 0xCD5)) {
        snprintf(buf, cap, "RFLAGS = %#llx, want %#llx in the bits 0xcd5 (CF PF AF ZF SF DF OF)",
                 (unsigned long long)pre_out_flags, (unsigned long long)pre_pat_flags);
        return buf;
    }
    for (int i = 0; i < 16; i++) {
        if (pre_out_red[i] != pre_pat_red[i]) {
            snprintf(buf, cap, "red zone word at rsp-%d = %#llx, want %#llx", 128 - 8 * i,
                     (unsigned long long)pre_out_red[i], (unsigned long long)pre_pat_red[i]);
            return buf;
        }
    }
    for (int i = 0; i < nvec; i++) {
        if (memcmp(pre_out_vec[i], pre_pat_vec[i], (size_t)vec_bytes) != 0) {
            int j = 0;
            while (pre_out_vec[i][j] == pre_pat_vec[i][j]) j++;
            snprintf(buf, cap, "%s%d qword %d = %#llx, want %#llx",
                     vec_bytes == 64 ? "zmm" : vec_bytes == 32 ? "ymm" : "xmm", i, j,
                     (unsigned long long)pre_out_vec[i][j], (unsigned long long)pre_pat_vec[i][j]);
            return buf;
        }
    }
    for (int i = 0; i < nk; i++) {
        if (pre_out_k[i] != pre_pat_k[i]) {
            snprintf(buf, cap, "k%d = %#llx, want %#llx", i, (unsigned long long)pre_out_k[i],
                     (unsigned long long)pre_pat_k[i]);
            return buf;
        }
    }
    if (pre_out_mxcsr != pre_pat_mxcsr) {
        snprintf(buf, cap, "MXCSR = %#x, want %#x", pre_out_mxcsr, pre_pat_mxcsr);
        return buf;
    }
    if ((pre_out_fcw & 0x0F3F) != (pre_pat_fcw & 0x0F3F)) {
        snprintf(buf, cap, "x87 control word = %#x, want %#x", pre_out_fcw, pre_pat_fcw);
        return buf;
    }
    for (int i = 0; i < 3; i++) {
        /* popped top first: the last value loaded comes out first */
        long double want = (long double)pre_pat_x87[2 - i];
        if (memcmp(pre_out_x87[i], &want, 10) != 0) {
            long double got;
            memcpy(&got, pre_out_x87[i], sizeof got);
            snprintf(buf, cap, "x87 st(%d) = %Lg, want %Lg", i, got, want);
            return buf;
        }
    }
    return NULL;
}

#define ARCH_OK 1

#elif defined(__aarch64__)

/* x0..x30 by number (x18, the platform register, x28, the counter, and
 * x29/x30 are not patterned), v0-v31, NZCV, FPCR. */
HIDDEN uint64_t pre_pat_gpr[32], pre_out_gpr[32];
HIDDEN uint64_t pre_pat_vec[32][2], pre_out_vec[32][2];
HIDDEN uint64_t pre_pat_nzcv, pre_out_nzcv, pre_pat_fpcr, pre_out_fpcr, pre_saved_fpcr;

/* void pre_regs_neon(uint64_t iters (x0), long misalign (x1, unused: sp
 * stays 16-byte aligned on AArch64)) */
__asm__(
    "    .pushsection .text\n"
    "    .globl pre_regs_neon\n"
    "    .hidden pre_regs_neon\n"
    "    .type pre_regs_neon, %function\n"
    "    .p2align 4\n"
    "pre_regs_neon:\n"
    "    stp x29, x30, [sp, #-16]!\n"
    "    mov x29, sp\n"
    "    stp x19, x20, [sp, #-16]!\n"
    "    stp x21, x22, [sp, #-16]!\n"
    "    stp x23, x24, [sp, #-16]!\n"
    "    stp x25, x26, [sp, #-16]!\n"
    "    stp x27, x28, [sp, #-16]!\n"
    "    stp d8, d9, [sp, #-16]!\n"
    "    stp d10, d11, [sp, #-16]!\n"
    "    stp d12, d13, [sp, #-16]!\n"
    "    stp d14, d15, [sp, #-16]!\n"
    "    mov x28, x0\n"
    "    adrp x16, pre_saved_fpcr\n"
    "    mrs x17, fpcr\n"
    "    str x17, [x16, :lo12:pre_saved_fpcr]\n"
    "    adrp x16, pre_pat_vec\n"
    "    add x16, x16, :lo12:pre_pat_vec\n"
    "    ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x16], #64\n"
    "    ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [x16], #64\n"
    "    ld1 {v8.2d, v9.2d, v10.2d, v11.2d}, [x16], #64\n"
    "    ld1 {v12.2d, v13.2d, v14.2d, v15.2d}, [x16], #64\n"
    "    ld1 {v16.2d, v17.2d, v18.2d, v19.2d}, [x16], #64\n"
    "    ld1 {v20.2d, v21.2d, v22.2d, v23.2d}, [x16], #64\n"
    "    ld1 {v24.2d, v25.2d, v26.2d, v27.2d}, [x16], #64\n"
    "    ld1 {v28.2d, v29.2d, v30.2d, v31.2d}, [x16], #64\n"
    "    adrp x16, pre_pat_fpcr\n"
    "    ldr x17, [x16, :lo12:pre_pat_fpcr]\n"
    "    msr fpcr, x17\n"
    "    adrp x16, pre_pat_nzcv\n"
    "    ldr x17, [x16, :lo12:pre_pat_nzcv]\n"
    "    msr nzcv, x17\n"
    "    adrp x16, pre_pat_gpr\n"
    "    add x16, x16, :lo12:pre_pat_gpr\n"
    "    ldp x0, x1, [x16, #0]\n"
    "    ldp x2, x3, [x16, #16]\n"
    "    ldp x4, x5, [x16, #32]\n"
    "    ldp x6, x7, [x16, #48]\n"
    "    ldp x8, x9, [x16, #64]\n"
    "    ldp x10, x11, [x16, #80]\n"
    "    ldp x12, x13, [x16, #96]\n"
    "    ldp x14, x15, [x16, #112]\n"
    "    ldr x19, [x16, #152]\n"
    "    ldp x20, x21, [x16, #160]\n"
    "    ldp x22, x23, [x16, #176]\n"
    "    ldp x24, x25, [x16, #192]\n"
    "    ldp x26, x27, [x16, #208]\n"
    "    ldp x16, x17, [x16, #128]\n"
    "    .p2align 4\n"
    "2:  sub x28, x28, #1\n"
    "    cbnz x28, 2b\n"
    "    stp x16, x17, [sp, #-16]!\n"
    "    adrp x16, pre_out_gpr\n"
    "    add x16, x16, :lo12:pre_out_gpr\n"
    "    stp x0, x1, [x16, #0]\n"
    "    stp x2, x3, [x16, #16]\n"
    "    stp x4, x5, [x16, #32]\n"
    "    stp x6, x7, [x16, #48]\n"
    "    stp x8, x9, [x16, #64]\n"
    "    stp x10, x11, [x16, #80]\n"
    "    stp x12, x13, [x16, #96]\n"
    "    stp x14, x15, [x16, #112]\n"
    "    str x19, [x16, #152]\n"
    "    stp x20, x21, [x16, #160]\n"
    "    stp x22, x23, [x16, #176]\n"
    "    stp x24, x25, [x16, #192]\n"
    "    stp x26, x27, [x16, #208]\n"
    "    str x28, [x16, #224]\n"
    "    ldp x0, x1, [sp], #16\n"
    "    stp x0, x1, [x16, #128]\n"
    "    mrs x0, nzcv\n"
    "    adrp x1, pre_out_nzcv\n"
    "    str x0, [x1, :lo12:pre_out_nzcv]\n"
    "    mrs x0, fpcr\n"
    "    adrp x1, pre_out_fpcr\n"
    "    str x0, [x1, :lo12:pre_out_fpcr]\n"
    "    adrp x16, pre_out_vec\n"
    "    add x16, x16, :lo12:pre_out_vec\n"
    "    st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x16], #64\n"
    "    st1 {v4.2d, v5.2d, v6.2d, v7.2d}, [x16], #64\n"
    "    st1 {v8.2d, v9.2d, v10.2d, v11.2d}, [x16], #64\n"
    "    st1 {v12.2d, v13.2d, v14.2d, v15.2d}, [x16], #64\n"
    "    st1 {v16.2d, v17.2d, v18.2d, v19.2d}, [x16], #64\n"
    "    st1 {v20.2d, v21.2d, v22.2d, v23.2d}, [x16], #64\n"
    "    st1 {v24.2d, v25.2d, v26.2d, v27.2d}, [x16], #64\n"
    "    st1 {v28.2d, v29.2d, v30.2d, v31.2d}, [x16], #64\n"
    "    adrp x16, pre_saved_fpcr\n"
    "    ldr x17, [x16, :lo12:pre_saved_fpcr]\n"
    "    msr fpcr, x17\n"
    "    ldp d14, d15, [sp], #16\n"
    "    ldp d12, d13, [sp], #16\n"
    "    ldp d10, d11, [sp], #16\n"
    "    ldp d8, d9, [sp], #16\n"
    "    ldp x27, x28, [sp], #16\n"
    "    ldp x25, x26, [sp], #16\n"
    "    ldp x23, x24, [sp], #16\n"
    "    ldp x21, x22, [sp], #16\n"
    "    ldp x19, x20, [sp], #16\n"
    "    ldp x29, x30, [sp], #16\n"
    "    ret\n"
    "    .size pre_regs_neon, .-pre_regs_neon\n"
    "    .popsection\n");

void pre_regs_neon(uint64_t iters, long misalign);

static void (*regs_fn)(uint64_t, long) = pre_regs_neon;
static const char *variant = "NEON (v0-v31)";

static uint64_t mix(uint64_t round, uint64_t what)
{
    uint64_t s = round * 0x9E3779B97F4A7C15ull ^ (what + 1) * 0xD1B54A32D192ED03ull;
    return rand_next(&s);
}

static void choose_variant(void) {}

static bool gpr_checked(int i) { return i <= 17 || (i >= 19 && i <= 27); }

static void fill(uint64_t round)
{
    for (int i = 0; i < 32; i++) pre_pat_gpr[i] = gpr_checked(i) ? mix(round, (uint64_t)i) : 0;
    for (int i = 0; i < 32; i++)
        for (int j = 0; j < 2; j++) pre_pat_vec[i][j] = mix(round, 100 + (uint64_t)(i * 2 + j));
    pre_pat_nzcv = (mix(round, 700) & 0xF) << 28 | (1ull << 29);   /* C always */
    /* rounding mode (bits 22-23) toward zero/-inf/+inf, FZ (24) and DN (25) on odd rounds */
    static const uint64_t rm[3] = { 3ull << 22, 2ull << 22, 1ull << 22 };
    pre_pat_fpcr = rm[round % 3] | ((round & 1) ? (3ull << 24) : 0);
}

static const char *compare(char *buf, size_t cap)
{
    for (int i = 0; i < 28; i++) {
        if (!gpr_checked(i)) continue;
        if (pre_out_gpr[i] != pre_pat_gpr[i]) {
            snprintf(buf, cap, "x%d = %#llx, want %#llx", i, (unsigned long long)pre_out_gpr[i],
                     (unsigned long long)pre_pat_gpr[i]);
            return buf;
        }
    }
    if (pre_out_gpr[28] != 0) {
        snprintf(buf, cap, "x28 = %#llx after the loop, want 0", (unsigned long long)pre_out_gpr[28]);
        return buf;
    }
    if ((pre_out_nzcv & 0xF0000000u) != pre_pat_nzcv) {
        snprintf(buf, cap, "NZCV = %#llx, want %#llx", (unsigned long long)pre_out_nzcv,
                 (unsigned long long)pre_pat_nzcv);
        return buf;
    }
    for (int i = 0; i < 32; i++) {
        for (int j = 0; j < 2; j++) {
            if (pre_out_vec[i][j] != pre_pat_vec[i][j]) {
                snprintf(buf, cap, "v%d.d[%d] = %#llx, want %#llx", i, j, (unsigned long long)pre_out_vec[i][j],
                         (unsigned long long)pre_pat_vec[i][j]);
                return buf;
            }
        }
    }
    if ((pre_out_fpcr & (0xFull << 22)) != pre_pat_fpcr) {
        snprintf(buf, cap, "FPCR = %#llx, want %#llx", (unsigned long long)pre_out_fpcr,
                 (unsigned long long)pre_pat_fpcr);
        return buf;
    }
    return NULL;
}

#define ARCH_OK 1
#endif

#ifdef ARCH_OK

static _Atomic int stop;
static _Atomic long turns;          /* the yielding goroutine's turns */
static gort_waitgroup wg;

static void yielder(void *arg)
{
    (void)arg;
    while (!LD(stop)) {
        ST(turns, LD(turns) + 1);
        gort_yield();
    }
    gort_wg_done(&wg);
}

static long in_loop, rounds;
static int64_t elapsed;

static void checker(void *arg)
{
    (void)arg;
    /* calibrate: iterations for about CALL_MS per call */
    fill(0);
    int64_t t0 = now_ns();
    regs_fn(1 << 20, 0);
    int64_t dt = now_ns() - t0;
    uint64_t iters = (uint64_t)((double)(1 << 20) * (double)MS(CALL_MS) / (double)(dt > 0 ? dt : 1));
    if (iters < 1000) iters = 1000;
    int64_t start = now_ns(), deadline = start + (int64_t)DEADLINE_S * 1000000000LL;
    char buf[256];
    for (uint64_t round = 1; in_loop < WANT_PREEMPTIONS && now_ns() < deadline; round++) {
        fill(round);
        long before = LD(turns);
        regs_fn(iters, (long)(round & 1));
        in_loop += LD(turns) - before;
        rounds++;
        const char *bad = compare(buf, sizeof buf);
        CHECK_MSG(bad == NULL, "round %llu, after %ld preemptions inside the loop: %s", (unsigned long long)round,
                  in_loop, bad);
    }
    elapsed = now_ns() - start;
    ST(stop, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    choose_variant();
    gort_wg_add(&wg, 2);
    go(yielder, NULL);
    go(checker, NULL);
    gort_wg_wait(&wg);
    NOTE("%s: %ld preemptions inside the loop in %ld rounds, %.1f s (%.0f per second)\n", variant, in_loop,
         rounds, (double)elapsed / 1e9, (double)in_loop / ((double)elapsed / 1e9));
    CHECK_MSG(in_loop >= WANT_PREEMPTIONS, "only %ld preemptions inside the loop in %d s (want %d)", in_loop,
              DEADLINE_S, WANT_PREEMPTIONS);
    return 0;
}

#else
static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP("no register test for this architecture (x86-64 and AArch64 only)");
}
#endif

GORT_MAIN(main_fn)
