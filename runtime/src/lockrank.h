/*
 * lockrank.h — every runtime lock's rank (Go's lockrank.go).
 *
 * A thread may take a lock only if every lock it holds has a lower rank:
 * the ranks below are the one order in which the runtime's locks nest.  A
 * rank marked MULTI may be held several times at once, the locks then
 * taken in increasing address order (a select's channels; two Ps' timer
 * heaps while timers move).  Debug builds (GORT_LOCKRANK) check each
 * acquisition against the locks the thread holds and end the program with
 * a fatal error naming both on a violation, or on a lock that has no rank;
 * release builds keep the rank and check nothing.  docs/DESIGN.md's lock
 * order table lists the same ranks in the same order, which the
 * `lock_ranks_documented` test checks.
 *
 *   X(name, multi, what)   lowest rank first
 */
#ifndef GORT_LOCKRANK_H
#define GORT_LOCKRANK_H

#define GORT_LOCK_RANKS(X) \
    X(NETPOLL_PD,   0, "a poll descriptor (netpoll.c); a waiter's ctx channel is taken under it") \
    X(CTX,          0, "a context node (ctx.c)") \
    X(CHAN,         1, "a channel (chan.c, select.c); a timer's channel holds it while it arms the timer") \
    X(SEMA,         0, "a semaphore bucket (sema.c)") \
    X(TIMERS,       1, "a P's timer heap (timer.c)") \
    X(SCHED,        0, "sched.lock: idle Ms and Ps, the global run queue, mcount") \
    X(GFREE,        0, "sched.gfree_lock: the global G caches") \
    X(STACK,        0, "the stack pools and arenas (stack.c)") \
    X(NETPOLL_GROW, 0, "the poll descriptor table's growth (netpoll.c)") \
    X(TB_START,     0, "starting the symbolizer thread (traceback.c)") \
    X(TB_CALL,      0, "a call to the symbolizer thread (traceback.c)") \
    X(TB_SYM,       0, "libdwfl's state, on the symbolizer thread (traceback.c)") \
    X(TRACE,        0, "the tracer's buffer lists (trace.c); events are recorded under any other lock")

enum lock_rank {
    LOCK_RANK_NONE = 0,   /* not initialised: a fatal error under GORT_LOCKRANK */
#define GORT_RANK_ENUM_(name, multi, what) LOCK_RANK_##name,
    GORT_LOCK_RANKS(GORT_RANK_ENUM_)
#undef GORT_RANK_ENUM_
    LOCK_RANK__COUNT
};

#endif
