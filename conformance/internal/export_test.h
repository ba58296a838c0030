/*
 * export_test.h — the white-box tests' window into the runtime, as Go's
 * export_test.go: the tests in conformance/internal/ see the runtime's own
 * structures (P, G, timer, sched) and functions (runq_put, semacquire,
 * timers_run, stack_alloc ...) through runtime/src/internal.h, and the few
 * things the runtime keeps static through the "test interface" sections at
 * the end of sema.c, timer.c, stack.c, sysmon.c and trace.c.  These programs
 * link libgort.a (the runtime's internal symbols are hidden in libgort.so).
 *
 * Include check.h first, then this.  The helpers here are named xt_*.
 */
#ifndef GORT_EXPORT_TEST_H
#define GORT_EXPORT_TEST_H

#include "check.h"

/* check.h has a cpu_relax of its own; keep internal.h's out of its way. */
#define cpu_relax gort_internal_cpu_relax_
#include "internal.h"
#undef cpu_relax

/* ---- run queues ---------------------------------------------------------- */

/* A P of the test's own, as sched.c's p_new makes one (zeroed, idle, its
 * timer lock ranked): in no allp slot, so no scheduler ever looks at it. */
P   *xt_p_new(int id);
void xt_p_free(P *p);

/* n G descriptors, zeroed, ids 1..n: never run, only queued. */
G   *xt_gs_new(int n);

/* The goroutines in p's ring, head first (not runnext), without taking
 * them; returns how many (at most max stored). */
int  xt_runq_list(P *p, G **out, int max);

/* Takes the whole global run queue (under sched.lock), head first; returns
 * how many were on it (at most max stored) and leaves it empty.  Only for
 * a process whose scheduler is not running. */
int  xt_globrunq_take_all(G **out, int max);

/* ---- semaphores ---------------------------------------------------------- */

/* addr's waiters in the order semrelease wakes them (sema.c's hook). */
int  xt_sema_waiters(uint32_t *addr, G **out, int max);

/* From a goroutine: yields (then sleeps 100 us at a time) until
 * xt_sema_waiters(addr) == n; false after timeout_ns. */
bool xt_sema_wait_waiters(uint32_t *addr, int n, int64_t timeout_ns);

/* ---- timers -------------------------------------------------------------- */

/* timer_add onto p's heap (timer.c's hook). */
void xt_timer_add_on(P *p, timer *t, int64_t when);

/* Checks p's heap: 4-ary min-heap order, every t->idx and t->pp, and
 * p->timer0_when.  Returns NULL, or a static message naming the fault. */
const char *xt_timer_heap_fault(P *p);

/* ---- stacks -------------------------------------------------------------- */

/* The free arena slots of stacks of `size` bytes (stack.c's hook). */
typedef struct xt_pool { size_t dirty, clean, keep; } xt_pool;
xt_pool xt_stack_pool(size_t size);

/* Runs the stack pools' give-back check as if the clock read now. */
void xt_stack_scavenge_at(int64_t now);

/* Is the page holding addr resident (mincore)? */
bool xt_page_resident(const void *addr);

/* The calling goroutine's stack below the caller's frame: painted with a
 * pattern from just above the canary word up to 256 bytes below the
 * caller's frame (xt_stack_paint, which returns the bytes painted), then
 * measured (xt_stack_paint_left: how many bytes of it, from the bottom up,
 * still hold the pattern, i.e. the stack no call since has reached). */
size_t xt_stack_paint(void);
size_t xt_stack_paint_left(void);

/* ---- requests to yield (GORT_ASYNCPREEMPT=0) ----------------------------- */

/* Runs, calling nothing of gort's, until sysmon has asked g (the caller)
 * to yield: G.preempt set and counted in sched.preempt_pending.  Fails
 * the test, naming `which` request, after 10 s. */
void xt_spin_until_asked_to_yield(G *g, const char *which);

/* Whether sched.preempt_pending counts g's G.preempt flag (1 if set, else
 * 0), as it must when g is the only goroutine that may hold a request.
 * sysmon may ask g again at any time, raising both, so the moment between
 * its two stores is waited out (up to 100 ms, calling nothing of gort's);
 * *flag and *pending get the last values read. */
bool xt_preempt_pending_counts_flag(G *g, uint32_t *flag, uint32_t *pending);

/* ---- sysmon -------------------------------------------------------------- */

/* What sysmon reads of thread tid in /proc (sysmon.c's hook): the CPU time
 * it has run, in ns, and its voluntary context switches; false if it could
 * not read them. */
bool xt_thread_sample(int tid, int64_t *on_cpu_ns, int64_t *voluntary);

#endif
