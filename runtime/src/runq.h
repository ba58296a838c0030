/*
 * runq.h — the fast paths of runq.c's per-P ring, inline so that the
 * scheduler's switch (a yield, a park handing over to the next goroutine,
 * ready()) does not pay a call, a frame and four saved registers for a few
 * loads and stores: a yield between two goroutines went from 218 to 192
 * instructions (callgrind), and bench_switch's yield/gort from 46.9 to
 * 40.2 ns per round (results/runq_inline.md).  runq.c owns the ring and its rules (its header comment): only
 * the owner P writes runq_tail and the slot at the tail; head moves by CAS,
 * by the owner here or by thieves in runq_grab, so a slot is read before
 * the CAS that claims it.  The slow paths (a full ring moving half of itself
 * to the global queue, stealing) stay in runq.c.  Included by internal.h
 * after P and the atomics helpers.
 */
#ifndef GORT_RUNQ_H
#define GORT_RUNQ_H

#define RUNQ_SLOT_LD(p, i)     __atomic_load_n(&(p)->runq[(i) % RUNQ_SIZE], __ATOMIC_RELAXED)
#define RUNQ_SLOT_ST(p, i, g)  __atomic_store_n(&(p)->runq[(i) % RUNQ_SIZE], (g), __ATOMIC_RELAXED)

/* runq.c: g onto a ring found full at (h, t): moves half of it and g to the
 * global queue, or stores g if a thief made room meanwhile. */
bool runq_put_full(P *p, G *g, uint32_t h, uint32_t t);

/* g at the tail of p's ring if it has room (p's owner only); else false,
 * with the head and tail it saw in *h, *t. */
static inline bool runq_put_tail(P *p, G *g, uint32_t *h, uint32_t *t)
{
    *h = ld_acq(&p->runq_head);
    *t = p->runq_tail;
    if (unlikely(*t - *h >= RUNQ_SIZE))
        return false;
    RUNQ_SLOT_ST(p, *t, g);
    /* Publishes the slot: pairs with the ld_acq of runq_tail in runq.c's
     * runq_grab, whose thief reads the slot after it. */
    st_rel(&p->runq_tail, *t + 1);
    return true;
}

/* g onto p's queue (p's owner only): as runnext when `next` (the old
 * runnext, if any, goes to the tail), else at the tail.  False when the
 * ring was full and half of it went to the global queue. */
static inline bool runq_put(P *p, G *g, bool next)
{
    if (next) {
        G *old = __atomic_exchange_n(&p->runnext, g, __ATOMIC_ACQ_REL);
        if (!old)
            return true;
        g = old;   /* the previous runnext goes to the tail */
    }
    uint32_t h, t;
    if (likely(runq_put_tail(p, g, &h, &t)))
        return true;
    return runq_put_full(p, g, h, t);
}

/* The next goroutine of p's queue (p's owner only): runnext first (then
 * *inherit_time is set: it shares the time slice of the goroutine that
 * readied it), else the ring's head; NULL when both are empty. */
static inline G *runq_get(P *p, bool *inherit_time)
{
    G *next = ld_rlx(&p->runnext);
    if (next && cas(&p->runnext, next, NULL)) {
        if (inherit_time)
            *inherit_time = true;
        return next;
    }
    if (inherit_time)
        *inherit_time = false;
    for (;;) {
        uint32_t h = ld_acq(&p->runq_head);
        uint32_t t = p->runq_tail;
        if (t == h)
            return NULL;
        G *g = RUNQ_SLOT_LD(p, h);
        if (__atomic_compare_exchange_n(&p->runq_head, &h, h + 1, false, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED))
            return g;
    }
}

#endif
