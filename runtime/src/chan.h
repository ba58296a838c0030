/*
 * chan.h — channel internals: the sudog (a blocked party), and what the
 * rest of the runtime may do with a channel beyond the public API.  The
 * channel's own structure is private to chan.c and select.c, which define
 * GORT_CHAN_IMPL before including this; other files (timer_chan.c,
 * netpoll.c) go through the helpers below, so a channel's invariants are
 * kept in one place.
 *
 * A channel is Go's hchan: a lock, a ring buffer of `cap` elements, and two
 * FIFO queues of waiters (sudogs): goroutines or plain threads blocked
 * sending (sendq) or receiving (recvq).  A waiter for a blocked select is
 * queued on every channel it waits for; the first channel operation that
 * wins the select's `done` flag (CAS 0 -> 1) completes it, and the others
 * skip its waiters.
 */
#ifndef GORT_CHAN_H
#define GORT_CHAN_H

#include "internal.h"

typedef struct sudog {
    G            *g;          /* NULL: a plain thread, woken through `wake` */
    uint32_t      wake;       /* futex word for a plain thread */
    uint32_t     *wake_word;  /* if set, used instead of `wake` (a select's shared word) */
    struct sudog *next, *prev;
    struct gort_chan *c;
    void         *elem;       /* where to copy from (send) or to (recv) */
    bool          success;    /* recv: got a value; send: delivered (false: closed) */
    bool          queued;     /* on c's sendq or recvq */
    uint32_t     *select_done;/* non-NULL: part of a select; whoever CASes it 0->1 wins */
    struct sudog **select_winner; /* where the winner records itself */
    int           case_index;
} sudog;

typedef struct waitq {
    sudog *first, *last;
} waitq;

/* For other files: the channel's lock, and operations under it. */
void chan_lock(gort_chan *c);
void chan_unlock(gort_chan *c);
/* Queues s (another kind of waiter: netpoll's ctx case) among c's
 * receivers, as a select's case; c must be locked.  False if c is closed
 * (nothing queued). */
bool chan_wait_recv_locked(gort_chan *c, sudog *s);
/* Takes s off c's receivers if it is still there (locks c). */
void chan_cancel_wait_recv(gort_chan *c, sudog *s);
/* Timers' one-slot channels (timer_chan.c), c locked: sends elem if c is
 * open and its buffer empty (the value for a waiting receiver, if any, in
 * *wake: sudog_wake it once c is unlocked); true if it sent. */
bool chan_send_if_empty_locked(gort_chan *c, const void *elem, sudog **wake);
/* Empties c's buffer; true if a value was there. */
bool chan_drop_buffered_locked(gort_chan *c);

#ifdef GORT_CHAN_IMPL
struct gort_chan {
    rt_lock   lock;
    uint32_t  closed;         /* written under lock; read without it by fast paths */
    size_t    elem_size;
    size_t    cap;
    size_t    count;          /* elements in buf; read without lock by len */
    size_t    sendx, recvx;   /* ring indices */
    char     *buf;
    waitq     recvq, sendq;
    int64_t   refs;           /* atomic */
};

void   waitq_enqueue(waitq *q, sudog *s);
void   waitq_remove(waitq *q, sudog *s);   /* no-op if s is not queued */

/* Blocks the owner of `s` (the caller) until a sudog_wake; releases the n
 * channel locks (held, in lock order) only once it cannot miss the wake. */
void   sudog_block(sudog *s, gort_chan **locked, int n, int reason);

/* Operations on a locked channel.  They never block: they return whether
 * they completed, and leave in *wake a waiter to sudog_wake once the locks
 * are released (or NULL). */
enum { OP_BLOCK = 0, OP_DONE = 1, OP_CLOSED = 2 };
int    chan_send_locked(gort_chan *c, const void *elem, sudog **wake);   /* OP_CLOSED: panic */
int    chan_recv_locked(gort_chan *c, void *elem, bool *ok, sudog **wake);

_Noreturn void block_forever(int reason);
#endif /* GORT_CHAN_IMPL */

/* Wakes the owner of a sudog taken off a queue: readies the goroutine or
 * wakes the thread.  The sudog must not be touched afterwards. */
void   sudog_wake(sudog *s);

#endif
