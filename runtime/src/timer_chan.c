/*
 * timer_chan.c — timers that deliver on channels: gort_after, gort_timer_*,
 * gort_ticker_* (Go's time.After, time.Timer, time.Ticker), with Go 1.23's
 * rules: after Stop or Reset returns, no value from the earlier setting can
 * be received.
 *
 * Each owner has a channel of int64_t with a one-value buffer and a
 * generation number `gen`, both guarded by the channel's lock.  Arming
 * stores gen in the runtime timer (t.seq); a firing delivers gort_now()
 * only if the generation it carries is still current, only if the buffer
 * is empty (a ticker drops ticks for a slow reader), and only if it is
 * later than the last value delivered: the thread that runs a tick may
 * be descheduled between taking it off the heap and delivering it, while
 * another thread delivers the next tick, and a ticker's values must not go
 * back in time (seen under Valgrind, which runs one thread at a time: tick
 * 3 carried tick 1's time).  Stop and Reset
 * bump gen and empty the buffer under the channel lock, so a firing that
 * raced with them is ignored and a value that fired but was never received
 * is withdrawn (and counts as prevented).  Freeing waits until no callback
 * of the timer is running.
 */
#include "chan.h"

#include <stdlib.h>

struct gort_timer {
    timer      t;
    gort_chan *c;
    uint64_t   gen;      /* under c->lock */
    int64_t    last;     /* under c->lock: the latest value delivered */
};

struct gort_ticker {
    struct gort_timer tm;
};

/* Delivers `now` on c if gen is still `seq` and now is later than *last.
 * Runs on the scheduler. */
static void deliver(gort_chan *c, const uint64_t *gen, int64_t *last, uint64_t seq, int64_t now)
{
    chan_lock(c);
    sudog *wake = NULL;
    if (*gen == seq && now > *last && chan_send_if_empty_locked(c, &now, &wake))
        *last = now;
    chan_unlock(c);
    if (wake)
        sudog_wake(wake);
}

static void timer_fire(void *arg, uint64_t seq, int64_t now)
{
    struct gort_timer *tm = arg;
    deliver(tm->c, &tm->gen, &tm->last, seq, now);
}

static gort_chan *time_chan(void)
{
    return gort_chan_make(sizeof(int64_t), 1);
}

/* Arms (or re-arms) tm for a fire `ns` from now.  Called with c->lock. */
static void arm_locked(struct gort_timer *tm, int64_t ns, int64_t period)
{
    int64_t when = nanotime() + (ns > 0 ? ns : 0);
    if (when < 0)
        when = INT64_MAX;
    tm->t.seq = tm->gen;
    tm->t.period = period;
    timer_add(&tm->t, when);
}

/* Withdraws the current setting; true if it prevented a delivery.  Called
 * with c->lock. */
static bool disarm_locked(struct gort_timer *tm)
{
    tm->gen++;
    bool pending = timer_del(&tm->t);
    if (chan_drop_buffered_locked(tm->c))   /* fired, never received: take it back */
        pending = true;
    return pending;
}

gort_timer *gort_timer_new(int64_t ns)
{
    NOTE_THREAD();
    gort__runtime_init();
    struct gort_timer *tm = calloc(1, sizeof *tm);
    if (!tm)
        fatal("out of memory: cannot allocate a timer");
    tm->c = time_chan();
    tm->t.fn = timer_fire;
    tm->t.arg = tm;
    chan_lock(tm->c);
    arm_locked(tm, ns, 0);
    chan_unlock(tm->c);
    return tm;
}

gort_chan *gort_timer_chan(gort_timer *tm)
{
    NOTE_THREAD();
    return tm ? tm->c : NULL;
}

bool gort_timer_stop(gort_timer *tm)
{
    NOTE_THREAD();
    if (!tm)
        gort_panic("time: Stop called on uninitialized Timer");
    chan_lock(tm->c);
    bool prevented = disarm_locked(tm);
    chan_unlock(tm->c);
    return prevented;
}

void gort_timer_reset(gort_timer *tm, int64_t ns)
{
    NOTE_THREAD();
    if (!tm)
        gort_panic("time: Reset called on uninitialized Timer");
    chan_lock(tm->c);
    disarm_locked(tm);
    arm_locked(tm, ns, 0);
    chan_unlock(tm->c);
}

static void timer_destroy(struct gort_timer *tm)
{
    chan_lock(tm->c);
    disarm_locked(tm);
    chan_unlock(tm->c);
    timer_wait_idle(&tm->t);
    gort_chan_unref(tm->c);
    free(tm);
}

void gort_timer_free(gort_timer *tm)
{
    NOTE_THREAD();
    if (tm)
        timer_destroy(tm);
}

gort_ticker *gort_ticker_new(int64_t period_ns)
{
    NOTE_THREAD();
    if (period_ns <= 0)
        gort_panic("non-positive interval for NewTicker");
    gort__runtime_init();
    struct gort_ticker *tk = calloc(1, sizeof *tk);
    if (!tk)
        fatal("out of memory: cannot allocate a ticker");
    tk->tm.c = time_chan();
    tk->tm.t.fn = timer_fire;
    tk->tm.t.arg = &tk->tm;
    chan_lock(tk->tm.c);
    arm_locked(&tk->tm, period_ns, period_ns);
    chan_unlock(tk->tm.c);
    return tk;
}

gort_chan *gort_ticker_chan(gort_ticker *tk)
{
    NOTE_THREAD();
    return tk ? tk->tm.c : NULL;
}

void gort_ticker_free(gort_ticker *tk)
{
    NOTE_THREAD();
    if (tk)
        timer_destroy(&tk->tm);   /* tm is the first member */
}

/* ---- gort_after -------------------------------------------------------- */

typedef struct after {
    timer      t;
    gort_chan *c;
    uint64_t   gen;      /* always 0: nobody can stop it */
    int64_t    last;     /* 0: it fires once */
} after;

static void after_fire(void *arg, uint64_t seq, int64_t now)
{
    after *a = arg;
    deliver(a->c, &a->gen, &a->last, seq, now);
    gort_chan_unref(a->c);   /* the runtime's reference */
    free(a);
}

gort_chan *gort_after(int64_t ns)
{
    NOTE_THREAD();
    gort__runtime_init();
    after *a = calloc(1, sizeof *a);
    if (!a)
        fatal("out of memory: cannot allocate a timer");
    gort_chan *c = a->c = time_chan();
    gort_chan_ref(c);        /* one for the caller, one until it fires */
    a->t.fn = after_fire;
    a->t.arg = a;
    int64_t when = nanotime() + (ns > 0 ? ns : 0);
    timer_add(&a->t, when < 0 ? INT64_MAX : when);   /* may fire, and free a, at once */
    return c;
}
