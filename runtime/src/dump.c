/*
 * dump.c — seeing inside: the goroutine list, gort_dump, gort_leakcheck,
 * gort_stats_get.
 *
 * Every G descriptor ever allocated is on one singly linked list (allg),
 * pushed with a CAS and never unlinked (descriptors are never freed, as in
 * Go), so the dump can walk it at any time, from any thread or a signal
 * handler, without a lock.  Each goroutine's backtrace comes from
 * traceback.c: its own for the caller, the parked stack for the others;
 * one running on another thread cannot be walked (Go's "stack
 * unavailable").  What it reads of a goroutine that is running
 * meanwhile may be a moment old; that is the nature of a dump.  Runtime
 * goroutines (is_system) are never listed or counted.
 */
#include "internal.h"
#include "sigfmt.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static G *allg_head;

void allg_add(G *g)
{
    G *head = ld_acq(&allg_head);
    do {
        g->allg_next = head;
    } while (!__atomic_compare_exchange_n(&allg_head, &head, g, false, __ATOMIC_RELEASE,
                                          __ATOMIC_ACQUIRE));
}

G *allg_first(void) { return ld_acq(&allg_head); }

static const char *const reason_names[WAIT__COUNT] = {
    [WAIT_NONE] = "waiting",
    [WAIT_CHAN_RECV] = "chan receive",
    [WAIT_CHAN_SEND] = "chan send",
    [WAIT_SELECT] = "select",
    [WAIT_SELECT_NO_CASES] = "select (no cases)",
    [WAIT_CHAN_RECV_NIL] = "chan receive (nil chan)",
    [WAIT_CHAN_SEND_NIL] = "chan send (nil chan)",
    [WAIT_SLEEP] = "sleep",
    [WAIT_WAITGROUP] = "sync.WaitGroup.Wait",
    [WAIT_MUTEX] = "sync.Mutex.Lock",
    [WAIT_RWMUTEX_R] = "sync.RWMutex.RLock",
    [WAIT_RWMUTEX_W] = "sync.RWMutex.Lock",
    [WAIT_IO] = "IO wait",
    [WAIT_SYSCALL] = "syscall",
    [WAIT_GORT_RUN] = "gort_run",
    [WAIT_PREEMPTED] = "preempted",
    [WAIT_COND] = "sync.Cond.Wait",
};

const char *wait_reason_string(int reason)
{
    if (reason < 0 || reason >= WAIT__COUNT || !reason_names[reason])
        return "waiting";
    return reason_names[reason];
}

/* Async-signal-safe (sigfmt.h): the fault and SIGQUIT reports print it
 * from their handlers. */
void dump_goroutine_header(int fd, G *g, bool running_self)
{
    uint32_t status = ld_rlx(&g->status);
    sigfmt f = { .n = 0 };
    sf_str(&f, "goroutine ");
    sf_u64(&f, g->id);
    sf_str(&f, " [");
    if (running_self || status == G_RUNNING) {
        sf_str(&f, "running");
        /* sysmon asked it to yield: say how long it has run without */
        if (ld_rlx(&g->preempt) && g->running_since) {
            sf_str(&f, ", ");
            sf_i64(&f, (nanotime() - g->running_since) / 1000000);
            sf_str(&f, " ms without yielding");
        }
    } else if (status == G_RUNNABLE) {
        sf_str(&f, "runnable");
    } else {
        sf_str(&f, wait_reason_string(g->wait_reason));
        int64_t minutes = g->wait_since ? (coarse_now() - g->wait_since) / (60 * (int64_t)1000000000) : 0;
        if (minutes >= 1) {
            sf_str(&f, ", ");
            sf_i64(&f, minutes);
            sf_str(&f, " minutes");
        }
    }
    sf_str(&f, "]:");
    if (g->name) {
        sf_str(&f, " (");
        sf_str(&f, g->name);
        sf_str(&f, ")");
    }
    sf_str(&f, "\n");
    gort__write_all(fd, f.buf, f.n);
}

static bool listed(G *g)
{
    uint32_t s = ld_rlx(&g->status);
    return !g->is_system && (s == G_RUNNABLE || s == G_RUNNING || s == G_WAITING || s == G_SYSCALL);
}

static void print_pcs(int fd, const uintptr_t *pcs, int n, bool first_is_exact, bool symbolize)
{
    if (symbolize)
        tb_print(fd, pcs, n, first_is_exact);
    else
        tb_print_raw(fd, pcs, n);
}

/* The goroutine's stack, walked where it was parked.  A goroutine resumed
 * meanwhile (its saved sp or state changed) may have been walked halfway
 * through a change: its frames are not shown. */
static void dump_backtrace(int fd, G *g, bool self, bool symbolize)
{
    uintptr_t pcs[TB_MAX_FRAMES + 8];
    int n;
    if (self) {
        n = tb_self(pcs, TB_MAX_FRAMES + 8);
    } else {
        uint32_t status = ld_acq(&g->status);
        void *sp = ld_acq(&g->sp);
        if (status == G_RUNNING) {
            gort__puts(fd, "goroutine running on other thread; stack unavailable\n");
            return;
        }
        if (status == G_SYSCALL) {
            gort__puts(fd, "goroutine in a system call on another thread; stack unavailable\n");
            return;
        }
        n = tb_parked(g, pcs, TB_MAX_FRAMES + 8);
        if (ld_acq(&g->status) != status || ld_acq(&g->sp) != sp) {
            gort__puts(fd, "goroutine resumed while being dumped; stack unavailable\n");
            return;
        }
    }
    print_pcs(fd, pcs, n, false, symbolize);
}

void dump_created_by(int fd, G *g)
{
    sigfmt f = { .n = 0 };
    if (g->file) {   /* (main, gort_run: no creator to show) */
        sf_str(&f, "created by ");
        sf_str(&f, g->file);
        sf_str(&f, ":");
        sf_i64(&f, g->line);
        if (g->parent_id) {
            sf_str(&f, " in goroutine ");
            sf_u64(&f, g->parent_id);
        }
        sf_str(&f, "\n");
    }
    sf_str(&f, "\n");
    gort__write_all(fd, f.buf, f.n);
}

static void dump_one(int fd, G *g, bool self, bool symbolize)
{
    dump_goroutine_header(fd, g, self);
    dump_backtrace(fd, g, self, symbolize);
    dump_created_by(fd, g);
}

void dump_interrupted(int fd, G *g, uintptr_t pc, uintptr_t fp, bool header, bool symbolize)
{
    uintptr_t pcs[TB_MAX_FRAMES + 8];
    pcs[0] = pc;
    int n = 1 + tb_walk_frames(fp, (uintptr_t)g->stk.lo, (uintptr_t)g->stk.hi,
                               g->stk.kind == STACK_KIND_DEDICATED, pcs + 1, TB_MAX_FRAMES + 7);
    if (header)
        dump_goroutine_header(fd, g, true);
    print_pcs(fd, pcs, n, true, symbolize);
    dump_created_by(fd, g);
}

void dump_all(int fd, G *skip, bool symbolize)
{
    G *self = gort__getg();
    if (self && self != skip)
        dump_one(fd, self, true, symbolize);
    for (G *g = allg_first(); g; g = g->allg_next)
        if (g != self && g != skip && listed(g))
            dump_one(fd, g, false, symbolize);
}

void gort_dump(int fd)
{
    NOTE_THREAD();
    dump_all(fd, NULL, true);
}

int gort_leakcheck(int64_t timeout_ns)
{
    NOTE_THREAD();
    G *self = gort__getg();
    int64_t deadline = nanotime() + (timeout_ns > 0 ? timeout_ns : 0);
    int left;
    for (;;) {
        left = 0;
        for (G *g = allg_first(); g; g = g->allg_next)
            if (g != self && !g->is_main && listed(g))
                left++;
        if (left == 0 || nanotime() >= deadline)
            break;
        gort_sleep(1000000);
    }
    if (left > 0) {
        char buf[128];
        int n = snprintf(buf, sizeof buf, "gort_leakcheck: %d goroutine%s still running:\n\n",
                         left, left == 1 ? "" : "s");
        gort__write_all(2, buf, (size_t)n);
        for (G *g = allg_first(); g; g = g->allg_next)
            if (g != self && !g->is_main && listed(g))
                dump_one(2, g, false, true);
    }
    return left;
}

/* Go 1.26's /sched/goroutines/{running,runnable,waiting,syscall}: a walk
 * of allg, each status read once (racy by nature, like the dump). */
static void count_states(gort_stats *out)
{
    for (G *g = allg_first(); g; g = g->allg_next) {
        if (g->is_system)
            continue;
        switch (ld_rlx(&g->status)) {
        case G_RUNNING:  out->running++;    break;
        case G_RUNNABLE: out->runnable++;   break;
        case G_WAITING:  out->waiting++;    break;
        case G_SYSCALL:  out->in_syscall++; break;
        default:         break;   /* idle or dead descriptors */
        }
    }
}

void gort_stats_get(gort_stats *out)
{
    NOTE_THREAD();
    memset(out, 0, sizeof *out);
    out->goroutines = goroutines_alive();
    rt_lock_acquire(&sched.lock);
    out->threads = sched.mcount;
    rt_lock_release(&sched.lock);
    out->procs = ld_rlx(&sched.user_procs);
    int n = ld_acq(&sched.nallp);
    out->spawned = ld_rlx(&sched.created_nop);
    for (int i = 0; i < n; i++) {
        P *p = sched.allp[i];
        out->spawned += ld_rlx(&p->st_created);
        out->switches += ld_rlx(&p->st_switches);
        out->steals += ld_rlx(&p->st_steals);
    }
    int64_t guards[3];
    stack_stats(&out->stack_reserved_bytes, &out->stack_committed_bytes, guards);
    out->stack_guards_kernel = guards[0];
    out->stack_guards_mprotect = guards[1];
    out->stack_guards_canary = guards[2];
    out->preemptions = preempt_count();
    count_states(out);
}
