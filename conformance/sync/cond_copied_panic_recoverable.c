// The "sync.Cond is copied" panic is an ordinary panic, made before the
// wait does anything: while goroutine A waits on the cond with m1, goroutine
// B's gort_cond_wait with m2 panics; B's deferred call recovers the message
// `sync.Cond is copied` and finds m2 still locked by B (the wait did not
// unlock it); the cond is unharmed: one signal wakes A, then a new waiter C
// (with m1) is woken by the next single signal (B's failed wait took no
// place in the queue).
#include "check.h"

static gort_mutex m1, m2;
static gort_cond c;
static gort_chan *running, *awake;
static gort_waitgroup b_fin;
static char got[128];
static _Atomic int m2_still_locked = -1;

static void waiter(void *arg)
{
    int id = (int)(intptr_t)arg;
    gort_mutex_lock(&m1);
    gort_chan_send(running, NULL);
    gort_cond_wait(&c, &m1);
    gort_chan_send(awake, &id);
    gort_mutex_unlock(&m1);
}

static void rec(void *arg)
{
    (void)arg;
    const char *msg = gort_recover();
    snprintf(got, sizeof got, "%s", msg ? msg : "(null)");
    bool locked_now = gort_mutex_trylock(&m2);
    atomic_store(&m2_still_locked, !locked_now);
    gort_mutex_unlock(&m2);
    gort_wg_done(&b_fin);
}

static void wrong_mutex(void *arg)
{
    (void)arg;
    gort_defer(rec, NULL);
    gort_mutex_lock(&m2);
    gort_cond_wait(&c, &m2);
    check_fdprintf(2, "gort_cond_wait with a second mutex returned\n");
    _exit(1);
}

static int recv_within(gort_chan *ch, int64_t ns)
{
    int id = -1;
    gort_chan *t = gort_after(ns);
    gort_case cs[2] = { { GORT_RECV, ch, &id, false }, { GORT_RECV, t, NULL, false } };
    int r = gort_select(cs, 2, true);
    gort_chan_unref(t);
    return r == 0 ? id : -1;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    running = gort_chan_make(0, 0);
    awake = gort_chan_make(sizeof(int), 2);

    go(waiter, (void *)(intptr_t)1);           /* A */
    gort_chan_recv(running, NULL);
    gort_mutex_lock(&m1);
    gort_mutex_unlock(&m1);                    /* A is in gort_cond_wait */

    gort_wg_add(&b_fin, 1);
    go(wrong_mutex, NULL);                     /* B */
    gort_wg_wait(&b_fin);
    CHECK_STR_CONTAINS(got, "sync.Cond is copied");
    CHECK_MSG(atomic_load(&m2_still_locked) == 1, "the panicking wait had unlocked m2");

    gort_mutex_lock(&m1);
    gort_cond_signal(&c);
    gort_mutex_unlock(&m1);
    CHECK_EQ_INT(recv_within(awake, MS(5000)), 1);

    go(waiter, (void *)(intptr_t)3);           /* C */
    gort_chan_recv(running, NULL);
    gort_mutex_lock(&m1);
    gort_cond_signal(&c);
    gort_mutex_unlock(&m1);
    int w = recv_within(awake, MS(5000));
    CHECK_MSG(w == 3, "the signal after B's failed wait did not wake C (got %d)", w);
    gort_chan_unref(running);
    gort_chan_unref(awake);
    return 0;
}

GORT_MAIN(main_fn)
