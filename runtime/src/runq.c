/*
 * runq.c — run queues: each P's bounded lock-free ring plus runnext, and the
 * global queue.  The algorithm is Go's (proc.go runqput/runqget/runqgrab):
 *
 *   - Only the owner P writes runq_tail and the slots at tail; head moves
 *     by CAS, by the owner (runq_get) or by thieves (runq_grab), so a slot
 *     is read before the CAS that claims it.
 *   - runnext holds the goroutine made ready last by this P; it runs next,
 *     which keeps a sender/receiver pair on one thread and its cache.  It is
 *     stolen only in a thief's last round, after giving its owner ~3 µs to
 *     run it (spinning, never usleep: timer slack makes 3 µs into 50).
 *   - A full ring moves half of itself plus the new G to the global queue.
 * The global queue is a linked list under sched.lock.
 */
#include "internal.h"

bool runq_empty(P *p)
{
    for (;;) {
        uint32_t h = ld_acq(&p->runq_head);
        uint32_t t = ld_acq(&p->runq_tail);
        G *next = ld_acq(&p->runnext);
        if (ld_acq(&p->runq_tail) == t)
            return h == t && next == NULL;
    }
}

/* Moves half of p's ring and g to the global queue.  False if a thief
 * raced us (runq_put_full then looks again). */
static bool runq_put_slow(P *p, G *g, uint32_t h, uint32_t t)
{
    G *batch[RUNQ_SIZE / 2 + 1];
    uint32_t n = (t - h) / 2;
    for (uint32_t i = 0; i < n; i++)
        batch[i] = RUNQ_SLOT_LD(p, h + i);
    if (!__atomic_compare_exchange_n(&p->runq_head, &h, h + n, false, __ATOMIC_RELEASE,
                                     __ATOMIC_RELAXED))
        return false;
    batch[n] = g;
    for (uint32_t i = 0; i < n; i++)
        batch[i]->schedlink = batch[i + 1];
    g->schedlink = NULL;
    rt_lock_acquire(&sched.lock);
    globrunq_put_batch_locked(batch[0], g, (int)n + 1);
    rt_lock_release(&sched.lock);
    return true;
}

/* runq_put (runq.h) found the ring full at (h, t). */
bool runq_put_full(P *p, G *g, uint32_t h, uint32_t t)
{
    for (;;) {
        if (runq_put_slow(p, g, h, t))
            return false;
        if (runq_put_tail(p, g, &h, &t))   /* a thief took some: room now */
            return true;
    }
}

/* Copies about half of victim's queue into p's ring starting at slot
 * `at`, without publishing it.  Returns how many. */
static uint32_t runq_grab(P *victim, P *p, uint32_t at, bool steal_runnext)
{
    for (;;) {
        uint32_t h = ld_acq(&victim->runq_head);
        uint32_t t = ld_acq(&victim->runq_tail);   /* pairs with runq_put_tail's st_rel */
        uint32_t n = t - h;
        n = n - n / 2;
        if (n == 0) {
            if (!steal_runnext)
                return 0;
            G *next = ld_acq(&victim->runnext);
            if (!next)
                return 0;
            if (ld_rlx(&victim->status) == P_RUNNING) {
                /* Its owner is about to run it: give it ~3 µs. */
                int64_t until = nanotime() + 3000;
                while (nanotime() < until && ld_rlx(&victim->runnext) == next)
                    cpu_relax();
            }
            if (!cas(&victim->runnext, next, NULL))
                continue;
            RUNQ_SLOT_ST(p, at, next);
            return 1;
        }
        if (n > RUNQ_SIZE / 2)
            continue;   /* read an inconsistent head/tail pair */
        for (uint32_t i = 0; i < n; i++)
            RUNQ_SLOT_ST(p, at + i, RUNQ_SLOT_LD(victim, h + i));
        if (__atomic_compare_exchange_n(&victim->runq_head, &h, h + n, false, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED))
            return n;
    }
}

G *runq_steal(P *p, P *victim, bool steal_runnext)
{
    uint32_t t = p->runq_tail;
    uint32_t n = runq_grab(victim, p, t, steal_runnext);
    if (n == 0)
        return NULL;
    n--;
    G *g = RUNQ_SLOT_LD(p, t + n);
    if (n > 0)
        st_rel(&p->runq_tail, t + n);
    st_rlx(&p->st_steals, p->st_steals + 1);
    return g;
}

int runq_steal_all(P *victim, G **out, int max)
{
    int n = 0;
    for (;;) {
        uint32_t h = ld_acq(&victim->runq_head);
        uint32_t t = ld_acq(&victim->runq_tail);
        uint32_t k = t - h;
        if (k > RUNQ_SIZE)
            continue;   /* read an inconsistent head/tail pair */
        if ((int)k > max - n)
            k = (uint32_t)(max - n);
        if (k == 0)
            break;
        for (uint32_t i = 0; i < k; i++)
            out[n + (int)i] = RUNQ_SLOT_LD(victim, h + i);
        if (__atomic_compare_exchange_n(&victim->runq_head, &h, h + k, false, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED)) {
            n += (int)k;
            break;
        }
    }
    G *next = ld_acq(&victim->runnext);
    if (next && n < max && cas(&victim->runnext, next, NULL))
        out[n++] = next;
    return n;
}

int runq_drain(P *p, G **out, int max)
{
    int n = 0;
    G *g;
    while (n < max && (g = runq_get(p, NULL)) != NULL)
        out[n++] = g;
    return n;
}

void globrunq_put_batch_locked(G *head, G *tail, int n)
{
    tail->schedlink = NULL;
    if (sched.runq_tail)
        sched.runq_tail->schedlink = head;
    else
        sched.runq_head = head;
    sched.runq_tail = tail;
    st_rel(&sched.runq_size, sched.runq_size + (uint32_t)n);
}

void globrunq_put_array(G **gs, int n)
{
    if (n <= 0)
        return;
    for (int i = 0; i + 1 < n; i++)
        gs[i]->schedlink = gs[i + 1];
    rt_lock_acquire(&sched.lock);
    globrunq_put_batch_locked(gs[0], gs[n - 1], n);
    rt_lock_release(&sched.lock);
}

void globrunq_put(G *g)
{
    rt_lock_acquire(&sched.lock);
    globrunq_put_batch_locked(g, g, 1);
    rt_lock_release(&sched.lock);
}

/* Takes a fair share of the global queue: one to return, the rest onto
 * p's ring.  max 0: no limit beyond the share. */
G *globrunq_get_locked(P *p, int max)
{
    uint32_t size = sched.runq_size;
    if (size == 0)
        return NULL;
    int procs = ld_rlx(&sched.gomaxprocs);
    uint32_t n = size / (uint32_t)procs + 1;
    if (n > size)
        n = size;
    if (max > 0 && n > (uint32_t)max)
        n = (uint32_t)max;
    if (n > RUNQ_SIZE / 2)
        n = RUNQ_SIZE / 2;
    st_rel(&sched.runq_size, size - n);
    G *g = sched.runq_head;
    sched.runq_head = g->schedlink;
    for (uint32_t i = 1; i < n; i++) {
        G *g2 = sched.runq_head;
        sched.runq_head = g2->schedlink;
        runq_put(p, g2, false);
    }
    if (!sched.runq_head)
        sched.runq_tail = NULL;
    return g;
}
