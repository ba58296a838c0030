/*
 * timer.c — timers kept per P in a 4-ary min-heap (Go 1.14+), and sleep.
 *
 * A timer lives on the heap of the P that added it, under that P's
 * timer_lock; t->pp names the heap (NULL when not queued), so deleting
 * finds the right lock and retries if the timer moved (a P retired by
 * gort_gomaxprocs hands its timers to P 0).  p->timer0_when mirrors the
 * heap top so the scheduler can test "anything due?" without the lock.
 * Timers fire from the scheduler (findrunnable, on g0), never from a
 * signal or a dedicated thread; their callbacks run without the heap lock
 * and must not block.  t->seq is the owner's: timers_run hands the value it
 * had when the timer fired to the callback, which compares it with the
 * owner's current generation to ignore a firing that Stop or Reset
 * overtook (timer_chan.c).  An M with nothing to do sleeps until the earliest
 * timer of any P (sched.c, timed_sleep); adding an earlier timer breaks
 * that sleep.
 *
 * gort_sleep parks the goroutine with a timer on its own stack, added
 * by the park commit hook, i.e. after the goroutine has switched away, so
 * the timer can never ready a goroutine that is still running.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

static void heap_set(P *p, int i, timer *t)
{
    p->timers[i] = t;
    t->idx = i;
}

static void sift_up(P *p, int i)
{
    timer *t = p->timers[i];
    while (i > 0) {
        int parent = (i - 1) / 4;
        if (p->timers[parent]->when <= t->when)
            break;
        heap_set(p, i, p->timers[parent]);
        i = parent;
    }
    heap_set(p, i, t);
}

static void sift_down(P *p, int i)
{
    timer *t = p->timers[i];
    int n = p->ntimers;
    for (;;) {
        int c = 4 * i + 1;
        if (c >= n)
            break;
        int best = c;
        for (int k = c + 1; k < c + 4 && k < n; k++)
            if (p->timers[k]->when < p->timers[best]->when)
                best = k;
        if (p->timers[best]->when >= t->when)
            break;
        heap_set(p, i, p->timers[best]);
        i = best;
    }
    heap_set(p, i, t);
}

static void update_timer0(P *p)
{
    st_rel(&p->timer0_when, p->ntimers ? p->timers[0]->when : 0);
}

/* Called with p->timer_lock held. */
static void heap_push(P *p, timer *t)
{
    if (p->ntimers == p->timers_cap) {
        int cap = p->timers_cap ? p->timers_cap * 2 : 64;
        timer **n = realloc(p->timers, (size_t)cap * sizeof *n);
        if (!n)
            fatal("runtime: out of memory growing a timer heap to %d entries", cap);
        p->timers = n;
        p->timers_cap = cap;
    }
    heap_set(p, p->ntimers++, t);
    sift_up(p, t->idx);
    st_rel(&t->pp, p);
}

static void heap_remove(P *p, timer *t)
{
    int i = t->idx;
    int last = --p->ntimers;
    if (i != last) {
        heap_set(p, i, p->timers[last]);
        sift_down(p, i);
        sift_up(p, p->timers[i]->idx);
    }
    st_rel(&t->pp, NULL);
}

static P *current_p(void)
{
    M *m = gort__getm();
    return m && m->p ? m->p : sched.allp[0];
}

void timer_add(timer *t, int64_t when)
{
    if (when <= 0)
        when = 1;
    P *p = current_p();
    rt_lock_acquire(&p->timer_lock);
    t->when = when;
    heap_push(p, t);
    bool first = p->timers[0] == t;
    update_timer0(p);
    rt_lock_release(&p->timer_lock);
    if (first)
        timers_wake_sleeper(when);
}

bool timer_del(timer *t)
{
    for (;;) {
        P *p = ld_acq(&t->pp);
        if (!p)
            return false;
        rt_lock_acquire(&p->timer_lock);
        if (t->pp != p) {
            rt_lock_release(&p->timer_lock);
            continue;
        }
        heap_remove(p, t);
        update_timer0(p);
        rt_lock_release(&p->timer_lock);
        return true;
    }
}

void timers_run(P *p, int64_t now)
{
    M *m = gort__getm();
    rt_lock_acquire(&p->timer_lock);
    while (p->ntimers > 0 && p->timers[0]->when <= now) {
        timer *t = p->timers[0];
        timer_fn fn = t->fn;
        void *arg = t->arg;
        uint64_t seq = t->seq;
        /* While fn runs, timer_wait_idle(t) waits; t itself is not touched
         * after fn (a sleep timer lives on a stack that fn lets go).  The
         * slot is the M's, not the P's: another M may run this P's timers
         * at the same time (findrunnable steals due timers).  It is
         * published before heap_remove clears t->pp (a release store): a
         * timer_del that finds pp NULL, so takes no lock, then sees that t
         * is running rather than freeing it under the callback. */
        st_rel(&m->running_timer, t);
        if (t->period > 0) {
            /* Ticker: next multiple of the period after now (ticks a slow
             * reader missed are dropped). */
            int64_t missed = (now - t->when) / t->period;
            t->when += (missed + 1) * t->period;
            sift_down(p, 0);
        } else {
            heap_remove(p, t);
        }
        update_timer0(p);
        rt_lock_release(&p->timer_lock);
        fn(arg, seq, now);
        st_rel(&m->running_timer, NULL);
        rt_lock_acquire(&p->timer_lock);
    }
    update_timer0(p);
    rt_lock_release(&p->timer_lock);
}

void timer_wait_idle(timer *t)
{
    for (M *m = ld_acq(&sched.allm); m; m = m->alllink)
        while (ld_acq(&m->running_timer) == t)
            cpu_relax();
}

int64_t timers_next(void)
{
    int64_t next = 0;
    int n = ld_acq(&sched.nallp);
    for (int i = 0; i < n; i++) {
        int64_t w = __atomic_load_n(&sched.allp[i]->timer0_when, __ATOMIC_SEQ_CST);
        if (w != 0 && (next == 0 || w < next))
            next = w;
    }
    return next;
}

void timers_move(P *from, P *to)
{
    if (from == to)
        return;
    /* Two heaps: in address order (lockrank.h), whichever way they move. */
    rt_lock *first = &from->timer_lock, *second = &to->timer_lock;
    if (second < first) {
        rt_lock *t = first;
        first = second;
        second = t;
    }
    rt_lock_acquire(first);
    rt_lock_acquire(second);
    while (from->ntimers > 0) {
        timer *t = from->timers[from->ntimers - 1];
        from->ntimers--;
        heap_push(to, t);
    }
    update_timer0(from);
    update_timer0(to);
    int64_t w = to->timer0_when;
    rt_lock_release(&to->timer_lock);
    rt_lock_release(&from->timer_lock);
    if (w)
        timers_wake_sleeper(w);
}

/* ---- gort_now, gort_sleep ---------------------------------------------- */

int64_t gort_now(void)
{
    NOTE_THREAD();
    return nanotime();
}

static void sleep_fire(void *arg, uint64_t seq, int64_t now)
{
    (void)seq;
    (void)now;
    ready((G *)arg);
}

static bool sleep_commit(G *g, void *arg)
{
    (void)g;
    timer *t = arg;
    timer_add(t, t->when);
    return true;
}

void gort_sleep(int64_t ns)
{
    NOTE_THREAD();
    if (ns <= 0)
        return;
    int64_t until = nanotime() + ns;
    if (until < 0)
        until = INT64_MAX;   /* overflow: sleep for ever, effectively */
    G *g = gort__getg();
    if (!g) {
        /* a plain thread sleeps as a thread */
        struct timespec ts = { until / 1000000000, until % 1000000000 };
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
        }
        return;
    }
    timer t = { .when = until, .fn = sleep_fire, .arg = g };
    park(sleep_commit, &t, WAIT_SLEEP);
}

/* ---- test interface (conformance/internal) ---- */

/* timer_add onto p's heap rather than the current P's: the white-box tests
 * (conformance/internal/export_test.c) drive a heap of a P of their own,
 * which no scheduler looks at, with the real heap_push, timer_del and
 * timers_run.  Wakes no sleeper; the runtime never calls it. */
void timer_test_add_on(P *p, timer *t, int64_t when)
{
    if (when <= 0)
        when = 1;
    rt_lock_acquire(&p->timer_lock);
    t->when = when;
    heap_push(p, t);
    update_timer0(p);
    rt_lock_release(&p->timer_lock);
}
