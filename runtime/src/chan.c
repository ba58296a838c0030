/*
 * chan.c — channels: Go's chan.go, in C.
 *
 * Invariants (all under c->lock):
 *   - at most one of recvq and sendq is non-empty, except transiently for a
 *     select that waits to send and receive on the same channel;
 *   - recvq non-empty implies the buffer is empty; sendq non-empty implies
 *     it is full (for cap 0: always);
 *   - a closed channel has no senders queued and never gets new ones.
 *
 * Hand-off: a sender that finds a receiver waiting copies its value
 * straight into the receiver's variable and readies it (one copy, no trip
 * through the buffer); likewise a receiver that finds a sender waiting on
 * an unbuffered channel.  On a full buffered channel with a sender waiting,
 * the receiver takes the head of the buffer and moves the sender's value to
 * the tail, so FIFO order holds.  The woken side finds its operation done
 * (sudog.success), so a value is never lost or received twice.
 *
 * Blocking goes through park() with a commit that releases the channel
 * lock after the switch, so a waiter is never readied before it is parked.
 * Plain threads block on a futex in their sudog instead.  Lifetime is a
 * reference count; the caller of any operation holds a reference.
 */
#define GORT_CHAN_IMPL 1   /* the channel's own structure (chan.h) */
#include "chan.h"
#include "sanitize.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- wait queues ------------------------------------------------------- */

void waitq_enqueue(waitq *q, sudog *s)
{
    s->next = NULL;
    s->prev = q->last;
    if (q->last)
        q->last->next = s;
    else
        q->first = s;
    q->last = s;
    s->queued = true;
}

void waitq_remove(waitq *q, sudog *s)
{
    if (!s->queued)
        return;
    if (s->prev)
        s->prev->next = s->next;
    else
        q->first = s->next;
    if (s->next)
        s->next->prev = s->prev;
    else
        q->last = s->prev;
    s->next = s->prev = NULL;
    s->queued = false;
}

/* Takes the first waiter that can still be completed: a waiter of a select
 * that another case already won is dropped. */
static sudog *waitq_dequeue(waitq *q)
{
    for (;;) {
        sudog *s = q->first;
        if (!s)
            return NULL;
        waitq_remove(q, s);
        if (s->select_done && !cas(s->select_done, 0, 1))
            continue;
        if (s->select_winner)
            *s->select_winner = s;
        return s;
    }
}

/* ---- blocking and waking ----------------------------------------------- */

typedef struct lockset {
    gort_chan **locked;
    int n;
} lockset;

static void unlock_all(gort_chan **locked, int n)
{
    for (int i = n - 1; i >= 0; i--)
        rt_lock_release(&locked[i]->lock);
}

static bool unlock_commit(G *g, void *arg)
{
    (void)g;
    lockset *ls = arg;
    unlock_all(ls->locked, ls->n);
    return true;
}

void sudog_block(sudog *s, gort_chan **locked, int n, int reason)
{
    if (s->g) {
        lockset ls = { locked, n };
        park_g(s->g, unlock_commit, &ls, reason);
        return;
    }
    unlock_all(locked, n);
    wait_flag(s->wake_word ? s->wake_word : &s->wake);
}

void sudog_wake(sudog *s)
{
    G *g = s->g;
    if (g) {
        ready(g);
    } else {
        set_flag(s->wake_word ? s->wake_word : &s->wake);
    }
}

_Noreturn void block_forever(int reason)
{
    if (gort__getg())
        park(NULL, NULL, reason);
    for (;;)
        pause();   /* a plain thread: nothing will ever wake it */
}

/* ---- copying ----------------------------------------------------------- */

static inline void *slot(gort_chan *c, size_t i) { return c->buf + i * c->elem_size; }

/* Copies one element.  Word-sized elements (the common case: ints,
 * pointers) are copied inline rather than through memcpy's dispatch. */
static inline void move_bytes(void *dst, const void *src, size_t n)
{
    switch (n) {
    case 8: memcpy(dst, src, 8); break;
    case 4: memcpy(dst, src, 4); break;
    case 16: memcpy(dst, src, 16); break;
    default: memcpy(dst, src, n); break;
    }
}

static inline void copy_elem(gort_chan *c, void *dst, const void *src)
{
    if (c->elem_size && dst)
        move_bytes(dst, src, c->elem_size);
}

static inline void zero_elem(gort_chan *c, void *dst)
{
    if (c->elem_size && dst)
        memset(dst, 0, c->elem_size);
}

/* ---- the operations on a locked channel -------------------------------- */

int chan_send_locked(gort_chan *c, const void *elem, sudog **wake)
{
    *wake = NULL;
    if (c->closed)
        return OP_CLOSED;
    sudog *r = waitq_dequeue(&c->recvq);
    if (r) {
        /* straight into the receiver's variable */
        race_acquire(c);
        copy_elem(c, r->elem, elem);
        race_release(c);
        r->success = true;
        *wake = r;
        return OP_DONE;
    }
    if (c->count < c->cap) {
        race_acquire(slot(c, c->sendx));
        if (c->elem_size)
            move_bytes(slot(c, c->sendx), elem, c->elem_size);
        race_release(slot(c, c->sendx));
        if (++c->sendx == c->cap)
            c->sendx = 0;
        st_rlx(&c->count, c->count + 1);
        return OP_DONE;
    }
    return OP_BLOCK;
}

int chan_recv_locked(gort_chan *c, void *elem, bool *ok, sudog **wake)
{
    *wake = NULL;
    sudog *s = waitq_dequeue(&c->sendq);
    if (s) {
        race_acquire(c);
        if (c->cap == 0) {
            copy_elem(c, elem, s->elem);
        } else {
            /* Full buffer: take its head, the sender's value goes to the tail. */
            race_acquire(slot(c, c->recvx));
            copy_elem(c, elem, slot(c, c->recvx));
            if (c->elem_size)
                move_bytes(slot(c, c->recvx), s->elem, c->elem_size);
            race_release(slot(c, c->recvx));
            if (++c->recvx == c->cap)
                c->recvx = 0;
            c->sendx = c->recvx;
        }
        race_release(c);
        s->success = true;
        *wake = s;
        *ok = true;
        return OP_DONE;
    }
    if (c->count > 0) {
        race_acquire(slot(c, c->recvx));
        copy_elem(c, elem, slot(c, c->recvx));
        race_release(slot(c, c->recvx));
        if (++c->recvx == c->cap)
            c->recvx = 0;
        st_rlx(&c->count, c->count - 1);
        *ok = true;
        return OP_DONE;
    }
    if (c->closed) {
        race_acquire(c);   /* the close */
        zero_elem(c, elem);
        *ok = false;
        return OP_DONE;
    }
    return OP_BLOCK;
}

/* ---- for the rest of the runtime (chan.h) ------------------------------- */

void chan_lock(gort_chan *c) { rt_lock_acquire(&c->lock); }

void chan_unlock(gort_chan *c) { rt_lock_release(&c->lock); }

bool chan_wait_recv_locked(gort_chan *c, sudog *s)
{
    if (ld_rlx(&c->closed))
        return false;
    waitq_enqueue(&c->recvq, s);
    return true;
}

void chan_cancel_wait_recv(gort_chan *c, sudog *s)
{
    rt_lock_acquire(&c->lock);
    waitq_remove(&c->recvq, s);
    rt_lock_release(&c->lock);
}

bool chan_send_if_empty_locked(gort_chan *c, const void *elem, sudog **wake)
{
    *wake = NULL;
    if (c->closed || c->count != 0)
        return false;
    return chan_send_locked(c, elem, wake) == OP_DONE;
}

bool chan_drop_buffered_locked(gort_chan *c)
{
    if (c->count == 0)
        return false;
    st_rlx(&c->count, 0);
    c->recvx = c->sendx = 0;
    return true;
}

/* ---- the public API ---------------------------------------------------- */

#define CHAN_MAX_BUF_BYTES ((size_t)1 << 48)

gort_chan *gort_chan_make(size_t elem_size, size_t cap)
{
    NOTE_THREAD();
    /* Go's limit: the buffer may not exceed its 64-bit allocation limit
     * (2^48 bytes), and the product may not overflow; a smaller buffer that
     * cannot be had is out of memory, not out of range. */
    if (elem_size && cap > CHAN_MAX_BUF_BYTES / elem_size)
        gort_panic("makechan: size out of range");
    gort_chan *c = calloc(1, sizeof *c);
    if (!c)
        fatal("out of memory: cannot allocate a channel");
    rt_lock_init(&c->lock, LOCK_RANK_CHAN);
    c->elem_size = elem_size;
    c->cap = cap;
    if (cap && elem_size) {
        c->buf = malloc(cap * elem_size);
        if (!c->buf)
            fatal("out of memory: cannot allocate a channel buffer of %zu elements of %zu bytes",
                  cap, elem_size);
    }
    c->refs = 1;
    return c;
}

gort_chan *gort_chan_ref(gort_chan *c)
{
    NOTE_THREAD();
    if (c && xadd(&c->refs, 1) <= 1)
        fatal("gort_chan_ref: channel already freed");
    return c;
}

void gort_chan_unref(gort_chan *c)
{
    NOTE_THREAD();
    if (!c)
        return;
    int64_t left = xadd(&c->refs, -1);
    if (left > 0)
        return;
    if (left < 0)
        fatal("gort_chan_unref: channel freed twice");
    if (c->recvq.first || c->sendq.first)
        fatal("gort_chan_unref: channel freed while goroutines are blocked on it");
    free(c->buf);
    free(c);
}

static bool chan_send(gort_chan *c, const void *elem, bool block)
{
    rt_lock_acquire(&c->lock);
    sudog *w;
    int r = chan_send_locked(c, elem, &w);
    if (r == OP_DONE) {
        rt_lock_release(&c->lock);
        if (w)
            sudog_wake(w);
        return true;
    }
    if (r == OP_CLOSED) {
        rt_lock_release(&c->lock);
        gort_panic("send on closed channel");
    }
    if (!block) {
        rt_lock_release(&c->lock);
        return false;
    }
    sudog s = { .g = gort__getg(), .c = c, .elem = (void *)elem };
    race_release(c);   /* for whoever takes our value */
    waitq_enqueue(&c->sendq, &s);
    sudog_block(&s, &c, 1, WAIT_CHAN_SEND);
    race_acquire(c);
    if (!s.success)
        gort_panic("send on closed channel");   /* closed while we waited */
    return true;
}

void gort_chan_send(gort_chan *c, const void *elem)
{
    NOTE_THREAD();
    PREEMPT_POINT();
    if (!c)
        block_forever(WAIT_CHAN_SEND_NIL);
    chan_send(c, elem, true);
}

bool gort_chan_try_send(gort_chan *c, const void *elem)
{
    NOTE_THREAD();
    PREEMPT_POINT();
    if (!c)
        return false;
    return chan_send(c, elem, false);
}

/* Returns false only when !block and it would block. */
static bool chan_recv(gort_chan *c, void *elem, bool block, bool *ok)
{
    rt_lock_acquire(&c->lock);
    sudog *w;
    if (chan_recv_locked(c, elem, ok, &w) == OP_DONE) {
        rt_lock_release(&c->lock);
        if (w)
            sudog_wake(w);
        return true;
    }
    if (!block) {
        rt_lock_release(&c->lock);
        return false;
    }
    sudog s = { .g = gort__getg(), .c = c, .elem = elem };
    race_release(c);
    waitq_enqueue(&c->recvq, &s);
    sudog_block(&s, &c, 1, WAIT_CHAN_RECV);
    race_acquire(c);   /* whoever gave us a value, or the close */
    *ok = s.success;   /* false: closed (elem was zeroed by close) */
    return true;
}

bool gort_chan_recv(gort_chan *c, void *elem)
{
    NOTE_THREAD();
    PREEMPT_POINT();
    if (!c)
        block_forever(WAIT_CHAN_RECV_NIL);
    bool ok;
    chan_recv(c, elem, true, &ok);
    return ok;
}

bool gort_chan_try_recv(gort_chan *c, void *elem, bool *ok)
{
    NOTE_THREAD();
    PREEMPT_POINT();
    if (!c)
        return false;
    bool got;
    if (!chan_recv(c, elem, false, &got))
        return false;
    if (ok)
        *ok = got;
    return true;
}

void gort_chan_close(gort_chan *c)
{
    NOTE_THREAD();
    if (!c)
        gort_panic("close of nil channel");
    rt_lock_acquire(&c->lock);
    if (c->closed) {
        rt_lock_release(&c->lock);
        gort_panic("close of closed channel");
    }
    st_rel(&c->closed, 1);
    /* Everybody waiting goes: receivers get (zero, false), senders panic. */
    sudog *wake = NULL, *s;
    while ((s = waitq_dequeue(&c->recvq)) != NULL) {
        zero_elem(c, s->elem);
        s->success = false;
        s->next = wake;
        wake = s;
    }
    while ((s = waitq_dequeue(&c->sendq)) != NULL) {
        s->success = false;
        s->next = wake;
        wake = s;
    }
    race_release(c);   /* receivers of the close see what came before it */
    rt_lock_release(&c->lock);
    while (wake) {
        s = wake;
        wake = s->next;
        sudog_wake(s);
    }
}

size_t gort_chan_len(gort_chan *c)
{
    NOTE_THREAD();
    return c ? ld_rlx(&c->count) : 0;
}

size_t gort_chan_cap(gort_chan *c)
{
    NOTE_THREAD();
    return c ? c->cap : 0;
}
