/*
 * signal.c — the runtime's signal handlers.
 *
 * SIGSEGV/SIGBUS run on an alternate signal stack (every thread that runs
 * goroutines installs one), because the faulting stack may be the one that
 * overflowed.  A fault in the guard below the running goroutine's stack is
 * reported as Go reports it, `fatal error: stack overflow`, naming the
 * goroutine and where it was created; any other fault on a goroutine is
 * Go's nil-dereference panic report.  Both exit 2.  Faults on threads that
 * run no goroutine go to the handler that was there before, which stays
 * installed (forward_fault); with none, the process dies of the signal.
 *
 * SIGQUIT dumps every goroutine to stderr and exits 2, as Go does.
 *
 * A handler may only call async-signal-safe functions, and symbolizing a
 * backtrace allocates.  So the handlers print what they can with write(2)
 * and sigfmt.h's formatting into stack buffers (not snprintf, which may
 * lock or allocate), then hand the rest of the report to the symbolizer
 * thread (traceback.c), which symbolizes and exits.  The
 * interrupted thread waits in its handler, so the goroutine it ran stays
 * put while its stack is walked.  If the report is not done within
 * REPORTER_PATIENCE (say the signal interrupted a thread holding the
 * allocator's lock), or there is no symbolizer thread (a child forked
 * after start-up), the handler prints raw addresses instead.
 */
#include "internal.h"
#include "sigfmt.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define SIGSTACK_BYTES     (64 << 10)
#define REPORTER_PATIENCE  5   /* seconds */

static struct sigaction prev_segv, prev_bus;

/* One report per process: the first signal to claim it wins; any other
 * thread that faults meanwhile waits for the process to end. */
static struct {
    uint32_t  claimed;
    bool      quit;          /* SIGQUIT: dump everything; else one goroutine */
    G        *g;             /* the interrupted goroutine, or NULL */
    uintptr_t pc, fp;        /* where it was interrupted */
} report;

static void say(const char *s) { gort__puts(2, s); }

static void interrupted_at(void *uctx, uintptr_t *pc, uintptr_t *fp)
{
    ucontext_t *uc = uctx;
#if defined(__x86_64__)
    *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    *fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
#elif defined(__aarch64__)
    *pc = (uintptr_t)uc->uc_mcontext.pc;
    *fp = (uintptr_t)uc->uc_mcontext.regs[29];
#endif
}

/* The report after the handler's header: symbolized by the symbolizer
 * thread, or raw as the fallback. */
static void write_report(bool symbolize)
{
    if (report.g)
        dump_interrupted(2, report.g, report.pc, report.fp, report.quit, symbolize);
    if (report.quit)
        dump_all(2, report.g, symbolize);
}

static void symbolized_report(void) { write_report(true); }

/* Claims the report and has it finished; never returns. */
static _Noreturn void finish_report(bool quit, G *g, void *uctx)
{
    if (!cas(&report.claimed, 0, 1))
        for (;;)
            pause();   /* another thread is reporting and will end the process */
    report.quit = quit;
    report.g = g;
    if (g)
        interrupted_at(uctx, &report.pc, &report.fp);
    if (tb_crash_report(symbolized_report)) {
        struct timespec ts = { REPORTER_PATIENCE, 0 };
        while (nanosleep(&ts, &ts) != 0)
            ;
        say("\n(the symbolizer thread did not finish; unsymbolized report follows)\n");
    }
    write_report(false);
    _exit(2);
}

/* A fault on a thread that runs no goroutine is not the runtime's: the
 * handler the program had gets it (Go's sigfwd), and stays installed for
 * the next fault, which may be a goroutine's overflow.  With no handler of
 * the program's (the default action, or an ignore that a real fault cannot
 * honour), the process dies of the signal, as it would have without the
 * runtime: the default action is restored only then, and the signal
 * raised again. */
static void forward_fault(int sig, siginfo_t *info, void *uctx)
{
    const struct sigaction *prev = sig == SIGSEGV ? &prev_segv : &prev_bus;
    if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction) {
        prev->sa_sigaction(sig, info, uctx);
        return;
    }
    if (!(prev->sa_flags & SA_SIGINFO) && prev->sa_handler != SIG_DFL &&
        prev->sa_handler != SIG_IGN) {
        prev->sa_handler(sig);
        return;
    }
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    /* a fault raised by the hardware repeats on return, now fatal */
}

static void fault_handler(int sig, siginfo_t *info, void *uctx)
{
    G *g = gort__getg();
    if (!g) {
        forward_fault(sig, info, uctx);
        return;
    }
    uintptr_t pc, fp;
    interrupted_at(uctx, &pc, &fp);
    sigfmt f = { .n = 0 };
    if (sig == SIGSEGV && stack_guard_hit(g, info->si_addr)) {
        sf_str(&f, "runtime: goroutine stack exceeds ");
        sf_u64(&f, g->stk.size);
        sf_str(&f, "-byte limit\nruntime: sp=");
        sf_hex(&f, (uintptr_t)info->si_addr);
        sf_str(&f, " stack=[");
        sf_hex(&f, (uintptr_t)g->stk.lo);
        sf_str(&f, ", ");
        sf_hex(&f, (uintptr_t)g->stk.hi);
        sf_str(&f, "]\nfatal error: stack overflow\n\n");
    } else {
        sf_str(&f, "panic: runtime error: invalid memory address or nil pointer dereference\n"
                   "[signal ");
        sf_str(&f, sig == SIGSEGV ? "SIGSEGV: segmentation violation" : "SIGBUS: bus error");
        sf_str(&f, " code=");
        sf_i64(&f, info->si_code);
        sf_str(&f, " addr=");
        sf_hex(&f, (uintptr_t)info->si_addr);
        sf_str(&f, " pc=");
        sf_hex(&f, pc);
        sf_str(&f, "]\n\n");
    }
    gort__write_all(2, f.buf, f.n);
    dump_goroutine_header(2, g, true);
    finish_report(false, g, uctx);
}

static void quit_handler(int sig, siginfo_t *info, void *uctx)
{
    (void)sig;
    (void)info;
    say("SIGQUIT: quit\n\n");
    finish_report(true, gort__getg(), uctx);
}

void signals_init(void)
{
    tb_start();

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &prev_segv);
    sigaction(SIGBUS, &sa, &prev_bus);

    /* SIGQUIT: only if the program has not set its own handler. */
    struct sigaction cur;
    if (sigaction(SIGQUIT, NULL, &cur) == 0 && cur.sa_handler == SIG_DFL) {
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = quit_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGQUIT, &sa, NULL);
    }
}

void signals_thread_init(M *m)
{
    stack_t ss;
    m->sigstack = malloc(SIGSTACK_BYTES);
    if (!m->sigstack)
        fatal("runtime: cannot allocate a signal stack: out of memory");
    ss.ss_sp = m->sigstack;
    ss.ss_size = SIGSTACK_BYTES;
    ss.ss_flags = 0;
    if (sigaltstack(&ss, NULL) != 0)
        fatal("runtime: sigaltstack failed");
}

void signals_thread_exit(M *m)
{
    stack_t ss = { .ss_flags = SS_DISABLE };
    sigaltstack(&ss, NULL);
    free(m->sigstack);
    m->sigstack = NULL;
}
