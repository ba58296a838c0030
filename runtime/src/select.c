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

#define SELECT_STACK_CASES 16

static int cmp_chan(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(gort_chan *const *)a, y = (uintptr_t)*(gort_chan *const *)b;
    return x < y ? -1 : x > y;
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

    /* Scratch: on the stack for small selects. */
    int order_s[SELECT_STACK_CASES];
    gort_chan *locks_s[SELECT_STACK_CASES];
    sudog sg_s[SELECT_STACK_CASES];
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
    qsort(locks, (size_t)nl, sizeof *locks, cmp_chan);
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
