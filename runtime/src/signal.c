/*
 * signal.c — the runtime's signal handlers.
 *
 * SIGSEGV/SIGBUS run on an alternate signal stack (every thread that runs
 * goroutines installs one), because the faulting stack may be the one that
 * overflowed.  A fault in the guard below the running goroutine's stack is
 * reported as Go reports it, `fatal error: stack overflow`, naming the
 * goroutine and where it was created; any other fault on a goroutine is
 * Go's nil-dereference panic report.  Both exit 2.  Faults on threads that
 * run no goroutine go to the handler that was there before (or the
 * default action).
 *
 * SIGQUIT dumps every goroutine to stderr and exits 2, as Go does.
 * The handlers use only write(2) and snprintf into stack buffers.
 */
#include "internal.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIGSTACK_BYTES (64 << 10)

static struct sigaction prev_segv, prev_bus;

static void say(const char *s) { gort__puts(2, s); }

static void fault_handler(int sig, siginfo_t *info, void *uctx)
{
    (void)uctx;
    G *g = gort__getg();
    if (!g) {
        /* not ours: let the previous disposition deal with it */
        struct sigaction *prev = sig == SIGSEGV ? &prev_segv : &prev_bus;
        sigaction(sig, prev, NULL);
        return;   /* the fault repeats under the old handler */
    }
    char buf[512];
    if (sig == SIGSEGV && stack_guard_hit(g, info->si_addr)) {
        snprintf(buf, sizeof buf,
                 "runtime: goroutine stack exceeds %zu-byte limit\n"
                 "runtime: sp=%p stack=[%p, %p]\n"
                 "fatal error: stack overflow\n\n",
                 g->stk.size, info->si_addr, (void *)g->stk.lo, (void *)g->stk.hi);
    } else {
        snprintf(buf, sizeof buf,
                 "panic: runtime error: invalid memory address or nil pointer dereference\n"
                 "[signal %s: %s code=%d addr=%p]\n\n",
                 sig == SIGSEGV ? "SIGSEGV" : "SIGBUS",
                 sig == SIGSEGV ? "segmentation violation" : "bus error", info->si_code,
                 info->si_addr);
    }
    say(buf);
    dump_goroutine_header(2, g, true);
    if (g->file) {
        snprintf(buf, sizeof buf, "created by %s:%d\n", g->file, g->line);
        say(buf);
    }
    _exit(2);
}

static void quit_handler(int sig)
{
    (void)sig;
    say("SIGQUIT: quit\n\n");
    dump_all(2, true);
    _exit(2);
}

void signals_init(void)
{
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
        sa.sa_handler = quit_handler;
        sa.sa_flags = SA_ONSTACK;
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
