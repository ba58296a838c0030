/*
 * sema.c — semaphores keyed by address: the one way sync primitives block.
 *
 * Go's sema.go: semacquire(addr) takes a unit from *addr or waits;
 * semrelease(addr) adds one and wakes a waiter.  Waiters are kept in a
 * table of 251 buckets hashed by address; in a bucket, each distinct
 * address has one queue (its first waiter is the queue's head and links
 * the bucket's addresses), so many waiters on one address cost nothing to
 * the others.  root->nwait lets semrelease skip the lock when nobody waits.
 *
 * A waiter is a goroutine (parked; the bucket lock is released by the park
 * commit, after the switch) or a plain thread (it sleeps on a futex in its
 * waiter record).  Either way the record lives on the waiter's stack and
 * must not be touched after it is woken.
 *
 * handoff (starving mutexes): the releaser takes the unit for the waiter
 * (ticket) and yields so that the waiter runs at once on this P.
 *
 * Notify lists (sync.Cond, Go's notifyList) share the table's locks: a
 * cond's waiters queue in the cond itself, in ticket order, under the
 * bucket lock of &cond->notify_.  cond->wait_ (the next ticket) is taken
 * atomically without the lock, before the waiter unlocks its mutex;
 * cond->notify_ (the next ticket to wake) is written under the lock and
 * read without it by the notifiers' fast path.  A ticket below notify_ has
 * been woken, or will return at once from notify_list_wait.
 */
#include "internal.h"

typedef struct sema_waiter {
    G         *g;            /* NULL: a plain thread */
    uint32_t  *addr;
    uint32_t   wake;         /* futex word for a plain thread */
    uint32_t   ticket;       /* 1: handed a unit directly */
    uint32_t   notify_ticket;/* a notify list's waiter: its ticket */
    struct sema_waiter *next;     /* same address, FIFO */
    struct sema_waiter *tail;     /* valid in the queue head */
    struct sema_waiter *next_addr;/* next address's head in the bucket */
} sema_waiter;

typedef struct sema_root {
    rt_lock      lock;
    uint32_t     nwait;
    sema_waiter *heads;
} ALIGNED_CL sema_root;

#define SEMTAB_SIZE 251
static sema_root semtab[SEMTAB_SIZE] = { [0 ... SEMTAB_SIZE - 1] = { .lock = RT_LOCK_INIT(SEMA) } };

static sema_root *root_of(uint32_t *addr)
{
    return &semtab[((uintptr_t)addr >> 3) % SEMTAB_SIZE];
}

static bool can_acquire(uint32_t *addr)
{
    for (;;) {
        uint32_t v = ld_acq(addr);
        if (v == 0)
            return false;
        if (cas(addr, v, v - 1))
            return true;
    }
}

static void enqueue(sema_root *r, sema_waiter *w, bool lifo)
{
    w->next = NULL;
    sema_waiter **pp = &r->heads;
    for (; *pp; pp = &(*pp)->next_addr) {
        sema_waiter *h = *pp;
        if (h->addr != w->addr)
            continue;
        if (lifo) {
            /* w becomes the head */
            w->next = h;
            w->tail = h->tail;
            w->next_addr = h->next_addr;
            *pp = w;
        } else {
            h->tail->next = w;
            h->tail = w;
        }
        return;
    }
    w->tail = w;
    w->next_addr = r->heads;
    r->heads = w;
}

static sema_waiter *dequeue(sema_root *r, uint32_t *addr)
{
    for (sema_waiter **pp = &r->heads; *pp; pp = &(*pp)->next_addr) {
        sema_waiter *h = *pp;
        if (h->addr != addr)
            continue;
        sema_waiter *n = h->next;
        if (n) {
            n->tail = h->tail;
            n->next_addr = h->next_addr;
            *pp = n;
        } else {
            *pp = h->next_addr;
        }
        return h;
    }
    return NULL;
}

static bool unlock_root(G *g, void *root)
{
    (void)g;
    rt_lock_release(&((sema_root *)root)->lock);
    return true;
}

/* Called with r->lock held; returns with it released, once woken. */
static void block(sema_root *r, sema_waiter *w, int reason)
{
    if (w->g) {
        park_g(w->g, unlock_root, r, reason);
        return;
    }
    rt_lock_release(&r->lock);
    wait_flag(&w->wake);
}

static void wake(sema_waiter *w)
{
    G *g = w->g;
    if (g) {
        ready(g);
    } else {
        set_flag(&w->wake);
    }
}

void semacquire(uint32_t *addr, bool lifo, int reason)
{
    if (can_acquire(addr))
        return;
    sema_root *r = root_of(addr);
    sema_waiter w = { .g = gort__getg(), .addr = addr };
    for (;;) {
        rt_lock_acquire(&r->lock);
        xadd(&r->nwait, 1);
        if (can_acquire(addr)) {
            xadd(&r->nwait, -1);
            rt_lock_release(&r->lock);
            return;
        }
        w.wake = 0;
        enqueue(r, &w, lifo);
        block(r, &w, reason);
        if (ld_acq(&w.ticket) || can_acquire(addr))
            return;
    }
}

void semrelease_n(uint32_t *addr, uint32_t n, bool handoff)
{
    sema_root *r = root_of(addr);
    xadd(addr, n);
    /* From here on *addr may be freed by a woken waiter: only the root is
     * touched. */
    if (ld_acq(&r->nwait) == 0)
        return;
    sema_waiter *woken[16];
    while (n > 0) {
        uint32_t k = 0;
        rt_lock_acquire(&r->lock);
        while (k < n && k < 16 && ld_rlx(&r->nwait) != 0) {
            sema_waiter *w = dequeue(r, addr);
            if (!w)
                break;
            xadd(&r->nwait, -1);
            woken[k++] = w;
        }
        rt_lock_release(&r->lock);
        if (k == 0)
            return;
        bool yield_after = false;
        for (uint32_t i = 0; i < k; i++) {
            if (handoff && can_acquire(addr)) {
                st_rel(&woken[i]->ticket, 1);
                yield_after = true;
            }
            wake(woken[i]);
        }
        n -= k;
        if (yield_after && gort__getg())
            gort_yield();
    }
}

void semrelease(uint32_t *addr, bool handoff)
{
    semrelease_n(addr, 1, handoff);
}

/* ---- notify lists (sync.Cond) ----------------------------------------- */

/* a was handed out before b (tickets wrap around) */
static bool ticket_before(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

uint32_t notify_list_add(gort_cond *c)
{
    return xadd(&c->wait_, 1) - 1;
}

void notify_list_wait(gort_cond *c, uint32_t ticket)
{
    sema_root *r = root_of(&c->notify_);
    rt_lock_acquire(&r->lock);
    if (ticket_before(ticket, c->notify_)) {
        rt_lock_release(&r->lock);   /* notified between add and here */
        return;
    }
    sema_waiter w = { .g = gort__getg(), .addr = &c->notify_, .notify_ticket = ticket };
    if (c->tail_)
        ((sema_waiter *)c->tail_)->next = &w;
    else
        c->head_ = &w;
    c->tail_ = &w;
    block(r, &w, WAIT_COND);   /* only a notify that dequeued w wakes it */
}

void notify_list_notify_one(gort_cond *c)
{
    /* Nobody took a ticket since the last notify: nothing to do.  A waiter
     * whose add this misses took its ticket after this call began, and a
     * notify need not wake it (Go's rule). */
    if (ld_acq(&c->wait_) == ld_acq(&c->notify_))
        return;
    sema_root *r = root_of(&c->notify_);
    rt_lock_acquire(&r->lock);
    uint32_t t = c->notify_;
    if (t == ld_acq(&c->wait_)) {
        rt_lock_release(&r->lock);
        return;
    }
    st_rel(&c->notify_, t + 1);
    /* Ticket t's owner is queued, or has yet to reach notify_list_wait and
     * will see notify_ past its ticket there. */
    sema_waiter *prev = NULL;
    for (sema_waiter *w = c->head_; w; prev = w, w = w->next) {
        if (w->notify_ticket != t)
            continue;
        if (prev)
            prev->next = w->next;
        else
            c->head_ = w->next;
        if (c->tail_ == w)
            c->tail_ = prev;
        w->next = NULL;
        rt_lock_release(&r->lock);
        wake(w);
        return;
    }
    rt_lock_release(&r->lock);
}

void notify_list_notify_all(gort_cond *c)
{
    if (ld_acq(&c->wait_) == ld_acq(&c->notify_))
        return;
    sema_root *r = root_of(&c->notify_);
    rt_lock_acquire(&r->lock);
    sema_waiter *w = c->head_;
    c->head_ = c->tail_ = NULL;
    st_rel(&c->notify_, ld_acq(&c->wait_));
    rt_lock_release(&r->lock);
    while (w) {
        sema_waiter *next = w->next;   /* w may be gone once woken */
        wake(w);
        w = next;
    }
}

/* ---- test interface (conformance/internal) ---- */

/* The queue of addr as semrelease will wake it: out[i] is the i-th
 * waiter's goroutine (NULL for a plain thread), up to max of them; returns
 * how many wait.  Read under the bucket's lock.  For the white-box tests
 * (conformance/internal/export_test.c); the runtime never calls it. */
int sema_test_waiters(uint32_t *addr, G **out, int max)
{
    sema_root *r = root_of(addr);
    int n = 0;
    rt_lock_acquire(&r->lock);
    for (sema_waiter *h = r->heads; h; h = h->next_addr) {
        if (h->addr != addr)
            continue;
        for (sema_waiter *w = h; w; w = w->next) {
            if (n < max)
                out[n] = w->g;
            n++;
        }
        break;
    }
    rt_lock_release(&r->lock);
    return n;
}
