// A broadcast racing with a new waiter still wakes the goroutine that was
// already waiting (Go's TestCondSignalStealing): 1000 times (200 under
// ThreadSanitizer), waiter 1 is known to be inside gort_cond_wait; then one
// goroutine broadcasts while a second one starts waiting; the second may or
// may not be woken, but the first must be (within 5 s); the second is then
// released.
#include "check.h"

#define ITERS 1000

typedef struct iter {
    gort_mutex m;
    gort_cond cond;
    gort_chan *ch;
    bool done;                       /* guarded by m */
    gort_waitgroup wg;               /* the three goroutines */
} iter;

static void first_waiter(void *arg)
{
    iter *s = arg;
    gort_mutex_lock(&s->m);
    gort_chan_send(s->ch, NULL);
    gort_cond_wait(&s->cond, &s->m);
    gort_mutex_unlock(&s->m);
    gort_chan_send(s->ch, NULL);
    gort_wg_done(&s->wg);
}

static void broadcaster(void *arg)
{
    iter *s = arg;
    gort_cond_broadcast(&s->cond);
    gort_wg_done(&s->wg);
}

static void second_waiter(void *arg)
{
    iter *s = arg;
    gort_mutex_lock(&s->m);
    while (!s->done)
        gort_cond_wait(&s->cond, &s->m);
    gort_mutex_unlock(&s->m);
    gort_wg_done(&s->wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int iters = CHECK_TSAN ? ITERS / 5 : ITERS;
    for (int it = 0; it < iters; it++) {
        iter *s = calloc(1, sizeof *s);
        CHECK(s != NULL);
        s->ch = gort_chan_make(0, 0);
        gort_wg_add(&s->wg, 3);

        go(first_waiter, s);
        gort_chan_recv(s->ch, NULL);
        gort_mutex_lock(&s->m);            /* the first waiter is in gort_cond_wait */
        gort_mutex_unlock(&s->m);

        go(broadcaster, s);
        go(second_waiter, s);

        gort_chan *t = gort_after(MS(5000));
        gort_case cs[2] = { { GORT_RECV, s->ch, NULL, false }, { GORT_RECV, t, NULL, false } };
        int r = gort_select(cs, 2, true);
        gort_chan_unref(t);
        CHECK_MSG(r == 0, "iteration %d: the first waiter did not get the broadcast", it);

        gort_mutex_lock(&s->m);
        s->done = true;
        gort_mutex_unlock(&s->m);
        gort_cond_broadcast(&s->cond);
        gort_wg_wait(&s->wg);
        gort_chan_unref(s->ch);
        free(s);
    }
    return 0;
}

GORT_MAIN(main_fn)
