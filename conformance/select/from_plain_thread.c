// gort_select works from a plain pthread: a blocking select there waits (the
// thread blocks) until a goroutine sends on one of its channels; a send case
// from the thread reaches a goroutine's receive; the non-blocking form
// returns -1 at once; a closed channel wakes the thread's select with ok
// false.
#include "check.h"
#include <pthread.h>

static gort_chan *a, *b, *back;
static _Atomic int stage;

static void *thr(void *arg)
{
    (void)arg;
    CHECK_EQ_U64(gort_id(), 0);
    int64_t ea = -1, eb = -1;
    gort_case cs[2] = {{GORT_RECV, a, &ea, false}, {GORT_RECV, b, &eb, false}};
    CHECK_EQ_INT(gort_select(cs, 2, false), -1);
    atomic_store(&stage, 1);
    int idx = gort_select(cs, 2, true);
    CHECK_EQ_INT(idx, 1);
    CHECK(cs[1].ok);
    CHECK_EQ_INT(eb, 4321);
    CHECK_EQ_INT(ea, -1);

    int64_t out = 99, nv;
    gort_case ss[2] = {{GORT_RECV, a, &nv, false}, {GORT_SEND, back, &out, false}};
    CHECK_EQ_INT(gort_select(ss, 2, true), 1);

    idx = gort_select(cs, 2, true);   /* a gets closed */
    CHECK_EQ_INT(idx, 0);
    CHECK(!cs[0].ok);
    CHECK_EQ_INT(ea, 0);
    atomic_store(&stage, 2);
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    a = gort_chan_make(sizeof(int64_t), 0);
    b = gort_chan_make(sizeof(int64_t), 0);
    back = gort_chan_make(sizeof(int64_t), 0);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, thr, NULL), 0);
    while (atomic_load(&stage) < 1) gort_sleep(US(100));
    gort_sleep(MS(20));                /* the thread is blocked in its select */
    int64_t v = 4321;
    gort_chan_send(b, &v);
    int64_t r = -1;
    CHECK(gort_chan_recv(back, &r));
    CHECK_EQ_INT(r, 99);
    gort_sleep(MS(10));
    gort_chan_close(a);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    CHECK_EQ_INT(atomic_load(&stage), 2);
    gort_chan_unref(a);
    gort_chan_unref(b);
    gort_chan_unref(back);
    return 0;
}

GORT_MAIN(main_fn)
