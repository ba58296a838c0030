/*
 * sync.c — WaitGroup (with Go), Mutex, RWMutex, Once and Cond, as Go's sync
 * package.
 *
 * All block through sema.c, so a goroutine parks (its thread runs other
 * goroutines) and a plain thread sleeps.  The zero value of each is ready.
 *
 * Mutex is Go's: a state word (locked, woken, starving, waiter count) and a
 * semaphore.  Normal mode lets a newly arriving locker barge in ahead of
 * woken waiters (fast, cache-warm); a waiter that has waited more than
 * 1 ms switches the mutex to starvation mode, where unlock hands the lock
 * straight to the first waiter and newcomers queue at the tail, so no
 * waiter waits for ever.
 *
 * WaitGroup packs counter (high 32 bits) and waiters (low 32) in one word.
 * The final Done wakes all waiters with a single semaphore release, after
 * which it no longer touches the WaitGroup: it may be freed as soon as
 * Wait returns.  WaitGroup.Go defers its Done first, so it runs after
 * everything the goroutine deferred.
 *
 * Cond is Go's: a notify list (sema.c) of tickets.  Wait takes a ticket
 * while it still holds the mutex, so a signal made after Wait unlocked the
 * mutex cannot be missed, and a signal wakes the oldest ticket only.
 */
#include "internal.h"
#include "sanitize.h"

#include <stdlib.h>

/* ---- WaitGroup --------------------------------------------------------- */

void gort_wg_add(gort_waitgroup *wg, int64_t delta)
{
    NOTE_THREAD();
    if (delta < 0)
        race_release(wg);   /* Done: what we did comes before Wait's return */
    uint64_t state = __atomic_add_fetch(&wg->state_, (uint64_t)delta << 32, __ATOMIC_SEQ_CST);
    int32_t v = (int32_t)(state >> 32);
    uint32_t w = (uint32_t)state;
    if (v < 0)
        gort_panic("sync: negative WaitGroup counter");
    if (w != 0 && delta > 0 && v == (int32_t)delta)
        gort_panic("sync: WaitGroup misuse: Add called concurrently with Wait");
    if (v > 0 || w == 0)
        return;
    /* Counter reached 0 with waiters: nobody may change the state now. */
    if (ld_acq(&wg->state_) != state)
        gort_panic("sync: WaitGroup misuse: Add called concurrently with Wait");
    st_rel(&wg->state_, 0);
    semrelease_n(&wg->sema_, w, false);
}

void gort_wg_done(gort_waitgroup *wg) { gort_wg_add(wg, -1); }

void gort_wg_wait(gort_waitgroup *wg)
{
    NOTE_THREAD();
    for (;;) {
        uint64_t state = ld_acq(&wg->state_);
        if ((state >> 32) == 0) {
            race_acquire(wg);
            return;
        }
        if (cas(&wg->state_, state, state + 1)) {
            semacquire(&wg->sema_, false, WAIT_WAITGROUP);
            if (ld_acq(&wg->state_) != 0)
                gort_panic("sync: WaitGroup is reused before previous Wait has returned");
            race_acquire(wg);
            return;
        }
    }
}

/* ---- Mutex ------------------------------------------------------------- */

enum {
    MUTEX_LOCKED = 1,
    MUTEX_WOKEN = 2,
    MUTEX_STARVING = 4,
    MUTEX_WAITER_SHIFT = 3,
};
#define STARVATION_THRESHOLD_NS 1000000

/* Spin only briefly, only on a multicore machine, and only if other Ps are
 * running (the holder may be one of them) and this P has nothing else to
 * do.  Go's sync_runtime_canSpin. */
static bool can_spin(int iter)
{
    if (iter >= 4)
        return false;
    int procs = ld_rlx(&sched.gomaxprocs);
    if (procs <= 1 || procs <= (int)ld_rlx(&sched.npidle) + (int)ld_rlx(&sched.nmspinning) + 1)
        return false;
    M *m = gort__getm();
    if (m && m->p && !runq_empty(m->p))
        return false;
    return true;
}

static void do_spin(void)
{
    for (int i = 0; i < 30; i++)
        cpu_relax();
}

static void mutex_lock_slow(gort_mutex *m)
{
    int64_t wait_start = 0;
    bool starving = false, awoke = false;
    int iter = 0;
    int32_t old = ld_rlx(&m->state_);
    for (;;) {
        if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == MUTEX_LOCKED && can_spin(iter)) {
            /* Tell Unlock not to wake anybody: we are awake already. */
            if (!awoke && (old & MUTEX_WOKEN) == 0 && (old >> MUTEX_WAITER_SHIFT) != 0 &&
                cas(&m->state_, old, old | MUTEX_WOKEN))
                awoke = true;
            do_spin();
            iter++;
            old = ld_rlx(&m->state_);
            continue;
        }
        int32_t new = old;
        if ((old & MUTEX_STARVING) == 0)
            new |= MUTEX_LOCKED;            /* starving: newcomers queue */
        if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) != 0)
            new += 1 << MUTEX_WAITER_SHIFT;
        if (starving && (old & MUTEX_LOCKED) != 0)
            new |= MUTEX_STARVING;
        if (awoke) {
            if ((new & MUTEX_WOKEN) == 0)
                fatal("sync: inconsistent mutex state");
            new &= ~MUTEX_WOKEN;
        }
        if (cas(&m->state_, old, new)) {
            if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == 0)
                return;                      /* locked it */
            bool lifo = wait_start != 0;     /* waited before: front of the queue */
            if (wait_start == 0)
                wait_start = nanotime();
            semacquire(&m->sema_, lifo, WAIT_MUTEX);
            starving = starving || nanotime() - wait_start > STARVATION_THRESHOLD_NS;
            old = ld_rlx(&m->state_);
            if ((old & MUTEX_STARVING) != 0) {
                /* Handed off to us: the lock is ours. */
                if ((old & (MUTEX_LOCKED | MUTEX_WOKEN)) != 0 || (old >> MUTEX_WAITER_SHIFT) == 0)
                    fatal("sync: inconsistent mutex state");
                int32_t delta = MUTEX_LOCKED - (1 << MUTEX_WAITER_SHIFT);
                if (!starving || (old >> MUTEX_WAITER_SHIFT) == 1)
                    delta -= MUTEX_STARVING;  /* leave starvation mode */
                xadd(&m->state_, delta);
                return;
            }
            awoke = true;
            iter = 0;
        } else {
            old = ld_rlx(&m->state_);
        }
    }
}

void gort_mutex_lock(gort_mutex *m)
{
    NOTE_THREAD();
    PREEMPT_POINT();
    if (unlikely(!cas(&m->state_, 0, MUTEX_LOCKED)))
        mutex_lock_slow(m);
    race_acquire(m);
}

bool gort_mutex_trylock(gort_mutex *m)
{
    NOTE_THREAD();
    int32_t old = ld_rlx(&m->state_);
    if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) != 0)
        return false;
    if (!cas(&m->state_, old, old | MUTEX_LOCKED))
        return false;
    race_acquire(m);
    return true;
}

static void mutex_unlock_slow(gort_mutex *m, int32_t new)
{
    if (((new + MUTEX_LOCKED) & MUTEX_LOCKED) == 0)
        fatal("sync: unlock of unlocked mutex");
    if ((new & MUTEX_STARVING) == 0) {
        int32_t old = new;
        for (;;) {
            /* Nobody to wake, or someone already woken or holding it. */
            if ((old >> MUTEX_WAITER_SHIFT) == 0 ||
                (old & (MUTEX_LOCKED | MUTEX_WOKEN | MUTEX_STARVING)) != 0)
                return;
            new = (old - (1 << MUTEX_WAITER_SHIFT)) | MUTEX_WOKEN;
            if (cas(&m->state_, old, new)) {
                semrelease(&m->sema_, false);
                return;
            }
            old = ld_rlx(&m->state_);
        }
    }
    /* Starving: hand the lock to the next waiter and let it run now. */
    semrelease(&m->sema_, true);
}

void gort_mutex_unlock(gort_mutex *m)
{
    NOTE_THREAD();
    race_release(m);
    int32_t new = xadd(&m->state_, -MUTEX_LOCKED);
    if (unlikely(new != 0))
        mutex_unlock_slow(m, new);
}

/* ---- RWMutex ----------------------------------------------------------- */

#define RW_MAX_READERS (1 << 30)

void gort_rwmutex_rlock(gort_rwmutex *rw)
{
    NOTE_THREAD();
    if (xadd(&rw->reader_count_, 1) < 0)
        semacquire(&rw->reader_sem_, false, WAIT_RWMUTEX_R);  /* a writer is pending */
    race_acquire(&rw->w_);   /* the last writer's Unlock */
}

void gort_rwmutex_runlock(gort_rwmutex *rw)
{
    NOTE_THREAD();
    race_release(&rw->reader_sem_);   /* for the next writer */
    int32_t r = xadd(&rw->reader_count_, -1);
    if (r >= 0)
        return;
    if (r + 1 == 0 || r + 1 == -RW_MAX_READERS)
        fatal("sync: RUnlock of unlocked RWMutex");
    /* A writer is pending: the last departing reader lets it in. */
    if (xadd(&rw->reader_wait_, -1) == 0)
        semrelease(&rw->writer_sem_, false);
}

void gort_rwmutex_lock(gort_rwmutex *rw)
{
    NOTE_THREAD();
    gort_mutex_lock(&rw->w_);
    /* Announce the writer; r is the number of active readers. */
    int32_t r = xadd(&rw->reader_count_, -RW_MAX_READERS) + RW_MAX_READERS;
    if (r != 0 && xadd(&rw->reader_wait_, r) != 0)
        semacquire(&rw->writer_sem_, false, WAIT_RWMUTEX_W);
    race_acquire(&rw->reader_sem_);   /* the readers that left */
}

void gort_rwmutex_unlock(gort_rwmutex *rw)
{
    NOTE_THREAD();
    race_release(&rw->w_);   /* for the readers let in now */
    int32_t r = xadd(&rw->reader_count_, RW_MAX_READERS);
    if (r >= RW_MAX_READERS)
        fatal("sync: Unlock of unlocked RWMutex");
    if (r > 0)
        semrelease_n(&rw->reader_sem_, (uint32_t)r, false);
    gort_mutex_unlock(&rw->w_);
}

/* ---- Once -------------------------------------------------------------- */

static void once_finish(void *arg)
{
    gort_once *o = arg;
    race_release(o);
    st_rel(&o->done_, 1);
    gort_mutex_unlock(&o->m_);
}

void gort_once_do(gort_once *o, void (*fn)(void *arg), void *arg)
{
    NOTE_THREAD();
    if (ld_acq(&o->done_)) {
        race_acquire(o);
        return;
    }
    gort_mutex_lock(&o->m_);
    if (o->done_) {
        gort_mutex_unlock(&o->m_);
        race_acquire(o);
        return;
    }
    /* If fn panics or calls gort_exit, the deferred finish still marks
     * the Once done and unlocks it, as Go's deferred Store/Unlock do. */
    struct defer_rec *finish = gort__getg() ? defer_push_internal(once_finish, o) : NULL;
    if (fn)
        fn(arg);
    if (finish)
        defer_cancel_internal(finish);
    once_finish(o);
}

/* ---- WaitGroup.Go ------------------------------------------------------ */

typedef struct wg_go_call {
    gort_waitgroup *wg;
    void (*fn)(void *);
    void *arg;
} wg_go_call;

static void wg_go_done(void *wg)
{
    gort_wg_done(wg);
}

static void wg_go_run(void *p)
{
    wg_go_call call = *(wg_go_call *)p;
    free(p);
    /* Deferred first, so it runs last: after every call fn defers, also
     * when fn ends the goroutine with gort_exit. */
    gort_defer(wg_go_done, call.wg);
    call.fn(call.arg);
}

void gort_wg_go(gort_waitgroup *wg, void (*fn)(void *arg), void *arg)
{
    NOTE_THREAD();
    if (!fn)
        fatal("go of nil func value");
    wg_go_call *call = malloc(sizeof *call);
    if (!call)
        fatal("out of memory: cannot start a WaitGroup.Go goroutine");
    *call = (wg_go_call){ wg, fn, arg };
    gort_wg_add(wg, 1);
    gort_go_at(wg_go_run, call, NULL, __FILE__, __LINE__);
}

/* ---- Cond -------------------------------------------------------------- */

/* A cond keeps the mutex of its first wait; Go's copyChecker catches a
 * copied Cond, whose closest C mistake is a cond used with two mutexes. */
static void cond_check_mutex(gort_cond *c, gort_mutex *m)
{
    gort_mutex *expected = NULL;
    if (__atomic_compare_exchange_n(&c->mutex_, &expected, m, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return;
    if (expected != m)
        gort_panic("sync.Cond is copied");
}

void gort_cond_wait(gort_cond *c, gort_mutex *m)
{
    NOTE_THREAD();
    if (!m)
        gort_panic("sync: Cond.Wait with a nil mutex");
    cond_check_mutex(c, m);
    uint32_t ticket = notify_list_add(c);
    gort_mutex_unlock(m);
    notify_list_wait(c, ticket);
    race_acquire(c);   /* the signal that chose us comes before this */
    gort_mutex_lock(m);
}

void gort_cond_signal(gort_cond *c)
{
    NOTE_THREAD();
    race_release(c);
    notify_list_notify_one(c);
}

void gort_cond_broadcast(gort_cond *c)
{
    NOTE_THREAD();
    race_release(c);
    notify_list_notify_all(c);
}
