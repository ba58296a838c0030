/*
 * select.c — gort_select: Go's selectgo, in C.
 *
 *   1. Order the cases randomly (pollorder) and the distinct channels by
 *      address (lockorder); lock them all in that order, so that two
 *      selects over the same channels can never deadlock.
 *   2. In poll order, perform the first case that can proceed.  Random
 *      order makes the choice among ready cases uniform.
 *   3. Otherwise (blocking form), queue one sudog per case on its channel,
 *      in poll order (so which of several cases on one channel completes is
 *      random too), and park; the commit releases the locks.  All sudogs of
 *      one select share a `done` word: the first channel operation that
 *      CASes it from 0 to 1 completes that case, and records its sudog as
 *      the winner; later ones skip the other sudogs.
 *   4. Woken, lock everything again and take the other sudogs off their
 *      queues.
 * A NULL channel's case is never ready and never queued.
 */
#define GORT_CHAN_IMPL 1   /* the channel's own structure (chan.h) */
#include "chan.h"
#include "sanitize.h"

#include <stdlib.h>

/* Selects of up to this many cases keep their scratch on the stack, sized
 * to the select (about 100 bytes a case, so that a small select fits a
 * 1 KiB packed goroutine stack); larger ones take it from the heap. */
#define SELECT_STACK_CASES 16

/* Sorts the channels by address: a heap sort, as Go's lockorder (no libc
 * qsort, whose merge sort takes a buffer from the stack, and no extra
 * memory). */
static void sift_down(gort_chan **a, int root, int n)
{
    for (;;) {
        int child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && (uintptr_t)a[child + 1] > (uintptr_t)a[child])
            child++;
        if ((uintptr_t)a[root] >= (uintptr_t)a[child])
            return;
        gort_chan *t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void sort_by_address(gort_chan **a, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--)
        sift_down(a, i, n);
    for (int end = n - 1; end > 0; end--) {
        gort_chan *t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

static void lock_all(gort_chan **locked, int n)
{
    for (int i = 0; i < n; i++)
        rt_lock_acquire(&locked[i]->lock);
}

static void release_all(gort_chan **locked, int n)
{
    for (int i = n - 1; i >= 0; i--)
        rt_lock_release(&locked[i]->lock);
}

int gort_select(gort_case *cases, int n, bool block)
{
    NOTE_THREAD();
    PREEMPT_POINT();
    if (n <= 0) {
        if (!block)
            return -1;
        block_forever(WAIT_SELECT_NO_CASES);
    }

    /* Scratch: on the stack for small selects, as many entries as cases. */
    int ns = n <= SELECT_STACK_CASES ? n : 1;
    int order_s[ns];
    gort_chan *locks_s[ns];
    sudog sg_s[ns];
    int *order = order_s;
    gort_chan **locks = locks_s;
    sudog *sg = sg_s;
    void *heap = NULL;
    if (n > SELECT_STACK_CASES) {
        heap = malloc((size_t)n * (sizeof *order + sizeof *locks + sizeof *sg));
        if (!heap)
            fatal("out of memory: select with %d cases", n);
        sg = heap;
        locks = (gort_chan **)(sg + n);
        order = (int *)(locks + n);
    }

    /* Poll order: a uniformly random permutation (inside-out Fisher-Yates). */
    for (int i = 0; i < n; i++) {
        int j = (int)(fastrand() % (uint32_t)(i + 1));
        order[i] = order[j];
        order[j] = i;
    }
    /* Lock order: the distinct non-NULL channels by address. */
    int nl = 0;
    for (int i = 0; i < n; i++)
        if (cases[i].ch)
            locks[nl++] = cases[i].ch;
    sort_by_address(locks, nl);
    int nu = 0;
    for (int i = 0; i < nl; i++)
        if (nu == 0 || locks[nu - 1] != locks[i])
            locks[nu++] = locks[i];

    lock_all(locks, nu);

    /* Pass 1: the first case, in poll order, that can proceed. */
    int chosen = -1;
    sudog *wake = NULL;
    for (int i = 0; i < n && chosen < 0; i++) {
        int k = order[i];
        gort_case *cs = &cases[k];
        if (!cs->ch)
            continue;
        if (cs->dir == GORT_RECV) {
            if (chan_recv_locked(cs->ch, cs->elem, &cs->ok, &wake) == OP_DONE)
                chosen = k;
        } else if (cs->dir == GORT_SEND) {
            int r = chan_send_locked(cs->ch, cs->elem, &wake);
            if (r == OP_CLOSED) {
                release_all(locks, nu);
                free(heap);
                gort_panic("send on closed channel");
            }
            if (r == OP_DONE)
                chosen = k;
        } else {
            release_all(locks, nu);
            free(heap);
            gort_panic("gort_select: case %d has direction %d (want GORT_SEND or GORT_RECV)", k,
                       cs->dir);
        }
    }
    if (chosen >= 0 || !block) {
        release_all(locks, nu);
        if (wake)
            sudog_wake(wake);
        free(heap);
        return chosen;
    }
    if (nu == 0) {   /* only NULL channels: nothing can ever be ready */
        free(heap);
        block_forever(WAIT_SELECT);
    }

    /* Pass 2: wait on every case. */
    uint32_t done = 0, thread_wake = 0;
    sudog *winner = NULL;
    G *self = gort__getg();
    for (int i = 0; i < n; i++) {
        int k = order[i];
        gort_case *cs = &cases[k];
        sg[k] = (sudog){ .g = self, .c = cs->ch, .elem = cs->elem, .select_done = &done,
                         .select_winner = &winner, .case_index = k,
                         .wake_word = &thread_wake };
        if (!cs->ch)
            continue;
        race_release(cs->ch);
        waitq_enqueue(cs->dir == GORT_RECV ? &cs->ch->recvq : &cs->ch->sendq, &sg[k]);
    }
    /* A plain thread sleeps on the select's one wake word, whichever case
     * wins. */
    sudog *first = NULL;
    for (int i = 0; i < n && !first; i++)
        if (cases[i].ch)
            first = &sg[i];
    sudog_block(first, locks, nu, WAIT_SELECT);

    /* Pass 3: dequeue the losers. */
    lock_all(locks, nu);
    for (int k = 0; k < n; k++) {
        gort_case *cs = &cases[k];
        if (cs->ch && &sg[k] != winner)
            waitq_remove(cs->dir == GORT_RECV ? &cs->ch->recvq : &cs->ch->sendq, &sg[k]);
    }
    release_all(locks, nu);
    int k = winner->case_index;
    bool success = winner->success;
    race_acquire(winner->c);
    free(heap);
    if (cases[k].dir == GORT_RECV) {
        cases[k].ok = success;
    } else if (!success) {
        gort_panic("send on closed channel");
    }
    return k;
}
