/*
 * export_test.c — helpers of the white-box tests (export_test.h).  Built
 * into gort_export_test, linked only into the tests of conformance/internal/.
 */
#include "export_test.h"

#include <sys/mman.h>

P *xt_p_new(int id)
{
    P *p = aligned_alloc(CACHELINE, sizeof(P));
    CHECK(p != NULL);
    memset(p, 0, sizeof *p);
    p->id = id;
    p->status = P_IDLE;
    rt_lock_init(&p->timer_lock, LOCK_RANK_TIMERS);
    return p;
}

void xt_p_free(P *p)
{
    free(p->timers);
    free(p);
}

G *xt_gs_new(int n)
{
    G *gs = calloc((size_t)n, sizeof *gs);
    CHECK(gs != NULL);
    for (int i = 0; i < n; i++) {
        gs[i].id = (uint64_t)i + 1;
        gs[i].status = G_RUNNABLE;
    }
    return gs;
}

int xt_runq_list(P *p, G **out, int max)
{
    uint32_t h = ld_acq(&p->runq_head), t = ld_acq(&p->runq_tail);
    int n = (int)(t - h);
    for (int i = 0; i < n && i < max; i++)
        out[i] = p->runq[(h + (uint32_t)i) % RUNQ_SIZE];
    return n;
}

int xt_globrunq_take_all(G **out, int max)
{
    rt_lock_acquire(&sched.lock);
    int n = 0;
    for (G *g = sched.runq_head; g; g = g->schedlink, n++)
        if (n < max)
            out[n] = g;
    CHECK_EQ_INT(n, ld_acq(&sched.runq_size));
    sched.runq_head = sched.runq_tail = NULL;
    st_rel(&sched.runq_size, 0);
    rt_lock_release(&sched.lock);
    return n;
}

int xt_sema_waiters(uint32_t *addr, G **out, int max)
{
    return sema_test_waiters(addr, out, max);
}

bool xt_sema_wait_waiters(uint32_t *addr, int n, int64_t timeout_ns)
{
    int64_t end = now_ns() + timeout_ns;
    G *dummy[1];
    for (int i = 0; xt_sema_waiters(addr, dummy, 0) != n; i++) {
        if (now_ns() > end)
            return false;
        if (i < 1000)
            gort_yield();
        else
            gort_sleep(US(100));
    }
    return true;
}

void xt_timer_add_on(P *p, timer *t, int64_t when)
{
    timer_test_add_on(p, t, when);
}

const char *xt_timer_heap_fault(P *p)
{
    static char msg[256];
    const char *fault = NULL;
    rt_lock_acquire(&p->timer_lock);
    for (int i = 0; i < p->ntimers && !fault; i++) {
        timer *t = p->timers[i];
        if (t->idx != i) {
            snprintf(msg, sizeof msg, "timers[%d]->idx is %d", i, t->idx);
            fault = msg;
        } else if (ld_acq(&t->pp) != p) {
            snprintf(msg, sizeof msg, "timers[%d]->pp is not its P", i);
            fault = msg;
        } else if (i > 0 && p->timers[(i - 1) / 4]->when > t->when) {
            snprintf(msg, sizeof msg, "timers[%d].when %lld < its parent timers[%d].when %lld",
                     i, (long long)t->when, (i - 1) / 4, (long long)p->timers[(i - 1) / 4]->when);
            fault = msg;
        }
    }
    int64_t top = p->ntimers ? p->timers[0]->when : 0;
    if (!fault && ld_acq(&p->timer0_when) != top) {
        snprintf(msg, sizeof msg, "timer0_when %lld, heap top %lld",
                 (long long)p->timer0_when, (long long)top);
        fault = msg;
    }
    rt_lock_release(&p->timer_lock);
    return fault;
}

xt_pool xt_stack_pool(size_t size)
{
    xt_pool r;
    stack_test_pool(size, &r.dirty, &r.clean, &r.keep);
    return r;
}

void xt_stack_scavenge_at(int64_t now)
{
    stack_test_scavenge_at(now);
}

#define XT_PAINT_BYTE 0xa5
#if defined(CHECK_HAVE_VALGRIND_H_)
#include <valgrind/memcheck.h>
/* The painted region is below the stack pointer, which Valgrind takes for
 * unaddressable: say it is not, and that what is read back is known. */
#define xt_vg_usable(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define xt_vg_known(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#else
#define xt_vg_usable(p, n) ((void)(p), (void)(n))
#define xt_vg_known(p, n) ((void)(p), (void)(n))
#endif

/* Not inlined, so that its frame is below the caller's and the region it
 * paints is below both.  Not instrumented by TSan either: its per-access
 * calls would run on the stack being measured (and it writes below the
 * frame on purpose). */
__attribute__((noinline, no_sanitize("thread"))) size_t xt_stack_paint(void)
{
    G *g = gort__getg();
    CHECK_MSG(g != NULL, "xt_stack_paint: not on a goroutine");
    char *from = g->stk.lo + 8;   /* above the canary word */
    char *to = (char *)__builtin_frame_address(0) - 256;
    CHECK_MSG(to > from, "xt_stack_paint: no room below the caller's frame");
    xt_vg_usable(from, (size_t)(to - from));
    volatile char *p = from;
    for (; (char *)p < to; p++)
        *p = (char)XT_PAINT_BYTE;
    return (size_t)(to - from);
}

__attribute__((noinline, no_sanitize("thread"))) size_t xt_stack_paint_left(void)
{
    G *g = gort__getg();
    const volatile unsigned char *p = (const unsigned char *)g->stk.lo + 8;
    xt_vg_known(g->stk.lo + 8, (size_t)(g->stk.hi - g->stk.lo - 8));
    size_t n = 0;
    while ((const char *)p + n < g->stk.hi && p[n] == XT_PAINT_BYTE)
        n++;
    return n;
}

bool xt_page_resident(const void *addr)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char vec = 0;
    void *base = (void *)((uintptr_t)addr & ~(uintptr_t)(page - 1));
    CHECK_MSG(mincore(base, page, &vec) == 0, "mincore: %s", strerror(errno));
    return (vec & 1) != 0;
}

bool xt_thread_sample(int tid, int64_t *on_cpu_ns, int64_t *voluntary)
{
    return sysmon_test_thread_sample(tid, on_cpu_ns, voluntary);
}

void xt_spin_until_asked_to_yield(G *g, const char *which)
{
    int64_t end = now_ns() + MS(10000);
    while (!ld_rlx(&g->preempt) || ld_rlx(&sched.preempt_pending) == 0)
        CHECK_MSG(now_ns() < end, "the %s request to yield never came (10 s of running)", which);
}

bool xt_preempt_pending_counts_flag(G *g, uint32_t *flag, uint32_t *pending)
{
    for (int64_t until = now_ns() + MS(100);;) {
        *flag = ld_acq(&g->preempt);
        *pending = ld_acq(&sched.preempt_pending);
        if (*pending == *flag && ld_acq(&g->preempt) == *flag)
            return true;
        if (now_ns() >= until)
            return false;
    }
}
