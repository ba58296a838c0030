/*
 * preempt.c — asynchronous preemption (Go 1.14's): a goroutine that has run
 * for 10 ms without a switch is interrupted by a signal and put back in a
 * run queue, even in a loop that calls nothing.
 *
 * The protocol (Go's preempt.go and signal_unix.go, adapted to C):
 *
 *   1. sysmon sees a P whose goroutine has run a time slice (10 ms, or
 *      GORT_PREEMPT_AFTER_US) without a switch, sets its cooperative request (G.preempt: it yields at its
 *      next gort call) and, if its thread is running on a CPU (not asleep
 *      in a system call, which a signal would interrupt), sends SIGURG to
 *      that thread with tgkill (preempt_request).  M.preempt_sig marks the
 *      signal as sent and not yet handled, so signals do not pile up; one
 *      lost is re-sent after PREEMPT_RESEND_NS.
 *   2. The handler (on the M's alternate signal stack) checks that the
 *      interrupted code is at an asynchronous safe point: the goroutine is
 *      the one sysmon asked (its request still stands), it holds no runtime
 *      lock, its signal mask is the M's usual one (else it is itself in a
 *      signal handler, or in code that blocked signals on purpose), its
 *      stack has room, and the interrupted pc is in the program's own code:
 *      not in the runtime (section gort_text, see
 *      cmake/gort_text_section.sh), not in libc, libpthread, the dynamic
 *      loader, the vDSO or the other system libraries listed in
 *      unsafe_objects (their code holds locks and per-thread state the
 *      runtime cannot see), and in some loaded object (not JIT code).
 *      Anywhere else it does nothing, and sysmon tries again later.
 *   3. At a safe point it rewrites the interrupted context so that, when
 *      the handler returns, the goroutine "calls" gort__preempt_trampoline
 *      (arch/preempt_*.S) from where it was: no switch happens inside the
 *      handler.  The trampoline saves every register, the flags and the
 *      whole vector/FP state, and calls gort__preempt_park (sched.c:
 *      park_preempted), which wires the goroutine to this thread, puts it
 *      on the global run queue and switches away; when it runs again, on
 *      this same thread, the trampoline restores everything and resumes the
 *      interrupted instruction.
 *
 * A preempted goroutine resumes on the thread it was interrupted on,
 * because compiled code may hold a thread-local address in a register:
 * until it next parks in a gort call it is wired to that thread as if it
 * had called gort_lock_os_thread, and its P goes on running other
 * goroutines on another thread meanwhile (docs/DESIGN.md, "Preemption").
 *
 * SIGURG is Go's choice: nothing else uses it by default, and its default
 * action is to ignore it.  The handler is installed with SA_RESTART (a
 * program's system calls that can restart do), and chains to the handler
 * the program had (or installs later: sysmon re-checks the disposition
 * before each signal and takes the program's handler as the one to chain
 * to).  A SIGURG the runtime did not send goes to the program's handler.
 *
 * Off: GORT_ASYNCPREEMPT=0 (Go's GODEBUG=asyncpreemptoff=1); under
 * Valgrind (which runs one thread at a time and preempts them itself) and
 * ThreadSanitizer (which holds asynchronous signals until the thread
 * passes an interceptor, so a loop that calls nothing never sees one);
 * when the runtime's code is not in its own section (a build without
 * cmake/gort_text_section.sh); when libc is not a shared object (a static
 * executable: its code could not be told apart).  The cooperative requests
 * at gort calls remain.
 */
#include "internal.h"
#include "sanitize.h"

#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(GORT_HAVE_VALGRIND)
#include <valgrind/valgrind.h>
#endif
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#define PREEMPT_SIGNAL     SIGURG
#define PREEMPT_RESEND_NS  (20 * 1000000LL)
#define HANDLER_CHECK_NS   (100 * 1000000LL)
#define PREV_SLOTS         8
#define MAP_CHECK_NS       (100 * 1000000LL)
/* Stack the injected call needs below the interrupted sp: the red zone,
 * the saved registers and vector state, and the scheduler's frames. */
#define PREEMPT_STACK_SLACK (12 << 10)

extern char __start_gort_text[], __stop_gort_text[];

static struct {
    bool        on;              /* asynchronous preemption enabled */
    const char *off_reason;      /* why not (for a debugger: nothing reads it) */
    /* The program's SIGURG disposition, published whole: a handler on one
     * thread may chain through it while sysmon adopts a new one, so each
     * new one goes to the next slot of a small ring (a handler would have
     * to be still reading a slot PREV_SLOTS adoptions later). */
    struct sigaction *prev;      /* atomic: the current slot, or NULL */
    struct sigaction prev_slots[PREV_SLOTS];
    unsigned         prev_next;
    int64_t     handler_checked; /* sysmon's last look at the disposition */
    int64_t     map_checked;     /* sysmon's last request to re-read the loaded objects */
    int64_t     map_misses;      /* atomic: handlers that met a pc in no known object */
    int64_t     map_misses_seen; /* sysmon's copy when it last asked */
    int64_t     preemptions;     /* atomic: goroutines preempted so far */
} pre;

/* ---- the loaded objects' code ------------------------------------------ */

typedef struct code_range {
    uintptr_t lo, hi;
    bool      safe;      /* the program's code: may be interrupted */
} code_range;

#define MAX_CODE_RANGES 1024

/* Rebuilt by one thread at a time (start-up, then sysmon) when objects are
 * loaded or unloaded; read by signal handlers under a sequence lock (odd
 * while being rewritten: a handler that sees it change treats the pc as
 * unsafe and lets sysmon try again). */
static struct {
    uint32_t   seq;
    int        n;
    code_range r[MAX_CODE_RANGES];
    unsigned long long adds, subs;   /* dl_iterate_phdr's counters when read */
    bool       saw_libc;
} objs;

/* System libraries whose code holds locks or per-thread state that a
 * parked goroutine must not hold (malloc's arenas, stdio, the loader's
 * lock, the unwinder's caches, the sanitizers' shadow bookkeeping). */
static const char *const unsafe_objects[] = {
    "libc.so", "libpthread.so", "ld-linux", "ld64.so", "ld.so", "linux-vdso", "linux-gate",
    "libdl.so", "librt.so", "libgcc_s.so", "libstdc++.so", "libasan.so", "libtsan.so",
    "libubsan.so", "liblsan.so", "libdw.so", "libelf.so", "libgort.so",
};

static bool name_is_unsafe(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < sizeof unsafe_objects / sizeof unsafe_objects[0]; i++)
        if (strncmp(base, unsafe_objects[i], strlen(unsafe_objects[i])) == 0)
            return true;
    return false;
}

typedef struct scan {
    int n;
    code_range r[MAX_CODE_RANGES];
    unsigned long long adds, subs;
    bool saw_libc, counters_only;
} scan;

static int scan_object(struct dl_phdr_info *info, size_t size, void *arg)
{
    scan *s = arg;
    if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs) {
        s->adds = info->dlpi_adds;
        s->subs = info->dlpi_subs;
    }
    if (s->counters_only)
        return 1;
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    bool unsafe = name_is_unsafe(name);
    const char *base = strrchr(name, '/');
    if (strncmp(base ? base + 1 : name, "libc.so", 7) == 0)
        s->saw_libc = true;
    for (int i = 0; i < info->dlpi_phnum && s->n < MAX_CODE_RANGES; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
            continue;
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        s->r[s->n++] = (code_range){ lo, lo + ph->p_memsz, !unsafe };
    }
    return 0;
}

/* Re-reads the loaded objects if any were loaded or unloaded since the
 * last look (always at start-up).  dl_iterate_phdr takes the dynamic
 * loader's lock, which a goroutine may hold while it is preempted (inside
 * a dl_iterate_phdr callback, or a dlopen'ed object's constructor): so
 * after start-up this runs as an errand of the symbolizer thread
 * (traceback.c: tb_errand), never on sysmon, which must never wait. */
static void objects_refresh(bool force)
{
    static scan s;   /* one refresher at a time: start-up, then sysmon */
    if (!force) {
        s.counters_only = true;
        dl_iterate_phdr(scan_object, &s);
        if (s.adds == objs.adds && s.subs == objs.subs)
            return;
    }
    s.counters_only = false;
    s.n = 0;
    s.saw_libc = false;
    dl_iterate_phdr(scan_object, &s);
    st_rlx(&objs.seq, objs.seq + 1);              /* odd: being rewritten */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    memcpy(objs.r, s.r, (size_t)s.n * sizeof s.r[0]);
    st_rlx(&objs.n, s.n);
    objs.adds = s.adds;
    objs.subs = s.subs;
    objs.saw_libc = s.saw_libc;
    st_rel(&objs.seq, objs.seq + 1);              /* even again */
}

/* In a signal handler: may the code at pc be interrupted?  Only the
 * program's own code, in a loaded object, outside the runtime. */
static bool pc_is_program_code(uintptr_t pc)
{
    if (pc >= (uintptr_t)__start_gort_text && pc < (uintptr_t)__stop_gort_text)
        return false;
    uint32_t seq = ld_acq(&objs.seq);
    if (seq & 1)
        return false;
    bool safe = false, known = false;
    int n = ld_rlx(&objs.n);
    for (int i = 0; i < n; i++) {
        if (pc >= ld_rlx(&objs.r[i].lo) && pc < ld_rlx(&objs.r[i].hi)) {
            safe = ld_rlx(&objs.r[i].safe);
            known = true;
            break;
        }
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (ld_rlx(&objs.seq) != seq)
        return false;
    if (!known)
        xadd(&pre.map_misses, 1);
    return safe;
}

/* ---- architecture ------------------------------------------------------- */

#if defined(__x86_64__)
/* Read by the trampoline: how it saves the extended state. */
uint64_t gort__preempt_xsave_mask;
uint64_t gort__preempt_xsave_size = 512;   /* FXSAVE's area, without XSAVE */
uint8_t  gort__preempt_use_xsave;

/* What the trampoline puts on the stack: red zone and return slot, 16
 * registers and the flags, the XSAVE area and its alignment. */
static size_t preempt_state_bytes(void)
{
    return 136 + 17 * 8 + 64 + (size_t)gort__preempt_xsave_size;
}

/* XSAVE with every state component the OS enabled (XCR0), except AMX's
 * tile data: the kernel arms it to trap on first use, the runtime never
 * uses it, and an unused component is saved and restored as its initial
 * state anyway.  The area's size is what the enabled components need in
 * the standard layout. */
static void arch_init(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_XSAVE) || !(c & bit_OSXSAVE))
        return;   /* FXSAVE: x87 and SSE, all there is */
    uint32_t lo, hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    uint64_t mask = ((uint64_t)hi << 32 | lo) & ~((uint64_t)3 << 17);   /* AMX: bits 17, 18 */
    uint64_t size = 576;   /* legacy area + header */
    for (unsigned i = 2; i < 63; i++) {
        if (!(mask & ((uint64_t)1 << i)))
            continue;
        __cpuid_count(0xd, i, a, b, c, d);
        if ((uint64_t)b + a > size)
            size = (uint64_t)b + a;
    }
    gort__preempt_xsave_mask = mask;
    gort__preempt_xsave_size = (size + 63) & ~(uint64_t)63;
    gort__preempt_use_xsave = 1;
}

static void ctx_pc_sp(const ucontext_t *uc, uintptr_t *pc, uintptr_t *sp)
{
    *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    *sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
}

static size_t arch_extra_bytes(const ucontext_t *uc)
{
    (void)uc;
    return 0;
}

static bool arch_can_inject(const ucontext_t *uc, uintptr_t sp)
{
    (void)uc;
    return (sp & 7) == 0;
}

/* The goroutine "calls" the trampoline from pc, below the red zone:
 * [sp - 136] = pc; the trampoline's `ret $128` lands back on sp. */
static NO_SANITIZE_ADDRESS void arch_inject(ucontext_t *uc, uintptr_t pc, uintptr_t sp)
{
    uintptr_t frame = sp - 136;
    *(uintptr_t *)frame = pc;
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)frame;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)gort__preempt_trampoline;
}
#elif defined(__aarch64__)
static void arch_init(void) {}

/* The trampoline's 816 bytes, and the signal frame gort__preempt_resume
 * builds to go back (a ucontext is 4.5 KiB with its record area). */
static size_t preempt_state_bytes(void)
{
    return 816 + sizeof(siginfo_t) + sizeof(ucontext_t) + 256;
}

static void ctx_pc_sp(const ucontext_t *uc, uintptr_t *pc, uintptr_t *sp)
{
    *pc = (uintptr_t)uc->uc_mcontext.pc;
    *sp = (uintptr_t)uc->uc_mcontext.sp;
}

/* The interrupted context's live SVE state, if any (NULL: none), or
 * false when it cannot be carried: SVE state too large for the record
 * area (an EXTRA record), streaming mode or live ZA storage (SME).  The
 * trampoline saves V0-V31; the scheduler's system calls would discard the
 * rest of the Z, P and FFR registers, so a live SVE record is carried
 * over to the resume frame as the kernel wrote it. */
static bool arch_sve_state(const ucontext_t *uc, const struct sve_context **sve)
{
    *sve = NULL;
    const unsigned char *p = (const unsigned char *)uc->uc_mcontext.__reserved;
    const unsigned char *end = p + sizeof uc->uc_mcontext.__reserved;
    while (p + sizeof(struct _aarch64_ctx) <= end) {
        const struct _aarch64_ctx *h = (const struct _aarch64_ctx *)p;
        if (h->magic == 0 || h->size == 0)
            return true;
        if (h->magic == EXTRA_MAGIC)
            return false;
        if (h->magic == SVE_MAGIC && h->size > sizeof(struct sve_context)) {
            const struct sve_context *c = (const struct sve_context *)h;
            if (c->flags & SVE_SIG_FLAG_SM)
                return false;
            *sve = c;
        }
#ifdef ZA_MAGIC
        if (h->magic == ZA_MAGIC && h->size > sizeof(struct za_context))
            return false;
#endif
        p += h->size;
    }
    return true;
}

static size_t arch_extra_bytes(const ucontext_t *uc)
{
    const struct sve_context *sve;
    return arch_sve_state(uc, &sve) && sve ? (sve->head.size + 15u) & ~15u : 0;
}

static bool arch_can_inject(const ucontext_t *uc, uintptr_t sp)
{
    const struct sve_context *sve;
    return (sp & 15) == 0 && arch_sve_state(uc, &sve);
}

/* The goroutine "calls" the trampoline from pc: below sp0 go the live SVE
 * record (if any), then [pc0, sp0]; x30 is left as it was. */
static NO_SANITIZE_ADDRESS void arch_inject(ucontext_t *uc, uintptr_t pc, uintptr_t sp)
{
    const struct sve_context *sve;
    arch_sve_state(uc, &sve);
    size_t len = sve ? (sve->head.size + 15u) & ~15u : 0;
    if (sve)
        memcpy((void *)(sp - len), sve, sve->head.size);
    uintptr_t frame = sp - len - 16;
    ((uintptr_t *)frame)[0] = pc;
    ((uintptr_t *)frame)[1] = sp;
    uc->uc_mcontext.sp = frame;
    uc->uc_mcontext.pc = (uintptr_t)gort__preempt_trampoline;
}
#endif

/* ---- the signal --------------------------------------------------------- */

static void chain(int sig, siginfo_t *info, void *uctx)
{
    struct sigaction *p = ld_acq(&pre.prev);
    if (!p)
        return;   /* none recorded: SIGURG's default action, to ignore it */
    if (p->sa_flags & SA_SIGINFO) {
        if (p->sa_sigaction)
            p->sa_sigaction(sig, info, uctx);
    } else if (p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN) {
        p->sa_handler(sig);
    }
    /* SIG_DFL: SIGURG's default action is to ignore it. */
}

static bool mask_is_usual(const M *m, const ucontext_t *uc)
{
    /* The first 64 signals are all the kernel has. */
    return memcmp(&uc->uc_sigmask, &m->sigmask, sizeof m->sigmask) == 0;
}

/* Everything that makes the interrupted point an asynchronous safe point
 * (see the file comment).  Signal context: no locks, no allocation. */
static bool at_safe_point(M *m, G *g, ucontext_t *uc, uintptr_t pc, uintptr_t sp)
{
    if (!g || g->m != m || ld_rlx(&g->status) != G_RUNNING || !ld_rlx(&g->preempt))
        return false;
    if (ld_rlx(&sched.frozen_by) != NULL || locks_held() != 0)
        return false;
    if (g->stk.kind == STACK_KIND_PACKED || sp > (uintptr_t)g->stk.hi ||
        sp < (uintptr_t)g->stk.lo + PREEMPT_STACK_SLACK + preempt_state_bytes())
        return false;   /* not on its stack (g0, a signal stack), or too little room */
    if (!mask_is_usual(m, uc) || !arch_can_inject(uc, sp) || !pc_is_program_code(pc))
        return false;
    return sp - arch_extra_bytes(uc) >=
           (uintptr_t)g->stk.lo + PREEMPT_STACK_SLACK + preempt_state_bytes();
}

static void preempt_handler(int sig, siginfo_t *info, void *uctx)
{
    int saved_errno = errno;
    M *m = gort__getm();
    bool ours = m && ld_acq(&m->preempt_sig) && xchg(&m->preempt_sig, 0) != 0;
    if (ours) {
        ucontext_t *uc = uctx;
        uintptr_t pc, sp;
        ctx_pc_sp(uc, &pc, &sp);
        G *g = m->curg;
        if (at_safe_point(m, g, uc, pc, sp)) {
            arch_inject(uc, pc, sp);
            xadd(&pre.preemptions, 1);
        }
    }
    /* The program's own SIGURG (from kill, or tgkill by another process)
     * goes to its handler, even when one of ours was pending. */
    if (!ours || info->si_code != SI_TKILL || info->si_pid != getpid())
        chain(sig, info, uctx);
    errno = saved_errno;
}

static void install_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = preempt_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigfillset(&sa.sa_mask);   /* nothing nests inside it */
    struct sigaction old;
    sigaction(PREEMPT_SIGNAL, &sa, &old);
    if (!(old.sa_flags & SA_SIGINFO) || old.sa_sigaction != preempt_handler) {
        struct sigaction *slot = &pre.prev_slots[pre.prev_next++ % PREV_SLOTS];
        *slot = old;
        st_rel(&pre.prev, slot);
    }
}

static void objects_refresh_errand(void) { objects_refresh(false); }

/* sysmon, before it signals: the map of loaded objects is re-read (on the
 * symbolizer thread) at most every MAP_CHECK_NS, at once when a handler met
 * a pc in no known object (code loaded since the last look). */
static void map_refresh_request(int64_t now)
{
    int64_t misses = ld_rlx(&pre.map_misses);
    if (misses == pre.map_misses_seen && now - pre.map_checked < MAP_CHECK_NS)
        return;
    if (tb_errand(objects_refresh_errand)) {
        pre.map_misses_seen = misses;
        pre.map_checked = now;
    }
}

/* sysmon, before it signals: the program may have installed a SIGURG
 * handler of its own since start-up; it becomes the one chained to. */
static void handler_ensure(int64_t now)
{
    if (now - pre.handler_checked < HANDLER_CHECK_NS)
        return;
    pre.handler_checked = now;
    struct sigaction cur;
    if (sigaction(PREEMPT_SIGNAL, NULL, &cur) == 0 &&
        (!(cur.sa_flags & SA_SIGINFO) || cur.sa_sigaction != preempt_handler))
        install_handler();
}

/* ---- entry points --------------------------------------------------------- */

/* On every M: SIGURG must reach it, and its usual mask (SIGURG unblocked)
 * is what at_safe_point compares the interrupted context's with. */
void preempt_thread_init(M *m)
{
    sigset_t set;
    if (pre.on) {
        sigemptyset(&set);
        sigaddset(&set, PREEMPT_SIGNAL);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    }
    pthread_sigmask(SIG_SETMASK, NULL, &set);
    memcpy(&m->sigmask, &set, sizeof m->sigmask);
}

bool preempt_async_on(void) { return pre.on; }
int64_t preempt_count(void) { return ld_rlx(&pre.preemptions); }

void preempt_init(void)
{
    if (!gort__config.async_preempt) {
        pre.off_reason = "GORT_ASYNCPREEMPT=0";
        return;
    }
    if (RACE_ENABLED) {
        pre.off_reason = "ThreadSanitizer holds asynchronous signals until an interceptor runs";
        return;
    }
#if defined(GORT_HAVE_VALGRIND)
    if (RUNNING_ON_VALGRIND) {
        pre.off_reason = "under Valgrind";
        return;
    }
#endif
    uintptr_t self = (uintptr_t)gort__preempt_trampoline;
    if ((uintptr_t)__start_gort_text == (uintptr_t)__stop_gort_text || self < (uintptr_t)__start_gort_text ||
        self >= (uintptr_t)__stop_gort_text) {
        pre.off_reason = "the runtime's code is not in section gort_text (built without "
                         "cmake/gort_text_section.sh)";
        gort__puts(2, "gort: asynchronous preemption is off: the runtime's code is not in its "
                      "own section (build libgort with its CMake files)\n");
        return;
    }
    objects_refresh(true);
    if (!objs.saw_libc) {
        pre.off_reason = "libc is not a shared object (static executable)";
        return;
    }
    arch_init();
    install_handler();
    pre.on = true;
}

/* sysmon: m's goroutine has run too long; interrupt it (if its thread is
 * on a CPU: the caller checked).  False if a signal is already on its way. */
bool preempt_request(M *m, int64_t now)
{
    if (!pre.on)
        return false;
    handler_ensure(now);
    map_refresh_request(now);
    if (!cas(&m->preempt_sig, 0, 1)) {
        if (now - ld_rlx(&m->preempt_sig_when) < PREEMPT_RESEND_NS)
            return false;   /* pending: the thread has not run its handler yet */
    }
    st_rlx(&m->preempt_sig_when, now);
    syscall(SYS_tgkill, getpid(), m->tid, PREEMPT_SIGNAL);
    return true;
}

/* Called by the trampoline on the goroutine's stack, outside the signal
 * handler, with the registers saved: parks the goroutine (sched.c) and
 * returns when it runs again, on this thread. */
void gort__preempt_park(void *saved)
{
    (void)saved;
    park_preempted();
}

#if defined(__aarch64__)
/* Layout of the trampoline's save area (arch/preempt_aarch64.S). */
enum {
    SAVE_X = 0, SAVE_NZCV = 248, SAVE_FPSR = 256, SAVE_FPCR = 264, SAVE_Q = 272,
    SAVE_BYTES = 800,        /* then the handler's slot: pc0, sp0, then the SVE record */
};

/* The kernel's rt_sigframe on arm64: siginfo, then the ucontext (glibc's
 * ucontext_t has the kernel's layout there). */
typedef struct sigframe {
    siginfo_t  info;
    ucontext_t uc;
} sigframe;

/* The goroutine runs again: every register, sp, pc, NZCV and the FP/SIMD
 * (and live SVE) state go back as they were at the interrupted
 * instruction, through rt_sigreturn on a frame built from the save area
 * (see arch/preempt_aarch64.S for why not by hand).  The signal mask and
 * the alternate stack in the frame are the thread's current ones, which
 * rt_sigreturn sets again. */
void gort__preempt_resume(void *saved)
{
    const unsigned char *a = saved;
    uint64_t slot[2];   /* pc0, sp0 */
    memcpy(slot, a + SAVE_BYTES, sizeof slot);
    size_t sve_len = slot[1] - ((uintptr_t)a + SAVE_BYTES + 16);
    sigframe f;
    memset(&f, 0, sizeof f);
    sigaltstack(NULL, &f.uc.uc_stack);
    pthread_sigmask(SIG_SETMASK, NULL, &f.uc.uc_sigmask);
    mcontext_t *mc = &f.uc.uc_mcontext;
    memcpy(mc->regs, a + SAVE_X, 31 * 8);
    mc->sp = slot[1];
    mc->pc = slot[0];
    uint64_t nzcv;
    memcpy(&nzcv, a + SAVE_NZCV, 8);
    mc->pstate = nzcv & 0xf0000000u;   /* EL0t, flags as they were */
    struct fpsimd_context *fp = (struct fpsimd_context *)mc->__reserved;
    fp->head.magic = FPSIMD_MAGIC;
    fp->head.size = sizeof *fp;
    uint64_t fpsr, fpcr;
    memcpy(&fpsr, a + SAVE_FPSR, 8);
    memcpy(&fpcr, a + SAVE_FPCR, 8);
    fp->fpsr = (uint32_t)fpsr;
    fp->fpcr = (uint32_t)fpcr;
    memcpy(fp->vregs, a + SAVE_Q, sizeof fp->vregs);
    if (sve_len)   /* the record the handler found, as the kernel wrote it */
        memcpy((unsigned char *)(fp + 1), a + SAVE_BYTES + 16, sve_len);
    /* the record after the last stays zero: the terminator */
    san_handle_no_return();   /* this frame is left for good */
    gort__preempt_sigreturn(&f);
}
#endif
