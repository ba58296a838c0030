// A case whose direction is neither GORT_SEND nor GORT_RECV is a misuse:
// gort_select panics "gort_select: case K has direction D (want GORT_SEND
// or GORT_RECV)", an ordinary panic that a deferred call recovers.  The
// channels of that select are left as they were: unlocked and usable (a
// buffered send and receive on each work afterwards).
#include "check.h"

static gort_chan *a, *b;
static char msg[256];
static gort_waitgroup wg;

static void rec(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    snprintf(msg, sizeof msg, "%s", m ? m : "(none)");
    gort_wg_done(&wg);
}

static void bad_select(void *arg)
{
    (void)arg;
    gort_defer(rec, NULL);
    int v = 1, w = 0;
    gort_case cs[2] = { { GORT_RECV, a, &w, false }, { 7, b, &v, false } };
    gort_select(cs, 2, true);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    a = gort_chan_make(sizeof(int), 1);
    b = gort_chan_make(sizeof(int), 1);
    gort_wg_add(&wg, 1);
    go(bad_select, NULL);
    gort_wg_wait(&wg);
    CHECK_STR_CONTAINS(msg, "gort_select: case 1 has direction 7 (want GORT_SEND or GORT_RECV)");
    int v = 5, w = 0;
    CHECK(gort_chan_try_send(a, &v));
    CHECK(gort_chan_try_send(b, &v));
    CHECK(gort_chan_recv(a, &w));
    CHECK_EQ_INT(w, 5);
    CHECK(gort_chan_recv(b, &w));
    CHECK_EQ_INT(w, 5);
    gort_chan_unref(a);
    gort_chan_unref(b);
    return 0;
}

GORT_MAIN(main_fn)
