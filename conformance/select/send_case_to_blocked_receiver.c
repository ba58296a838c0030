// A select send case hands its value to a receiver blocked on an unbuffered
// channel: blocking (select with the send case and a never-ready receive) and
// non-blocking (retried until the receiver has parked); the receiver gets the
// exact value, the select returns the send case's index.  The same for a
// receiver blocked in a select of its own.
#include "check.h"

static gort_chan *u, *never;
static _Atomic int64_t got = -1;
static gort_waitgroup wg;

static void receiver(void *arg)
{
    (void)arg;
    int64_t v = -1;
    CHECK(gort_chan_recv(u, &v));
    atomic_store(&got, v);
    gort_wg_done(&wg);
}

static void select_receiver(void *arg)
{
    (void)arg;
    int64_t v = -1, w = -1;
    gort_case cs[2] = {{GORT_RECV, never, &w, false}, {GORT_RECV, u, &v, false}};
    CHECK_EQ_INT(gort_select(cs, 2, true), 1);
    CHECK(cs[1].ok);
    atomic_store(&got, v);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    u = gort_chan_make(sizeof(int64_t), 0);
    never = gort_chan_make(sizeof(int64_t), 0);
    for (int round = 0; round < 4; round++) {
        atomic_store(&got, -1);
        gort_wg_add(&wg, 1);
        go(round < 2 ? receiver : select_receiver, NULL);
        int64_t val = 1000 + round, nv = -1;
        gort_case cs[2] = {{GORT_RECV, never, &nv, false}, {GORT_SEND, u, &val, false}};
        if (round % 2 == 0) {
            gort_sleep(MS(10));           /* receiver parked */
            CHECK_EQ_INT(gort_select(cs, 2, true), 1);
        } else {
            int64_t end = now_ns() + 5000000000LL;
            int idx;
            while ((idx = gort_select(cs, 2, false)) == -1 && now_ns() < end) gort_sleep(US(200));
            CHECK_EQ_INT(idx, 1);
        }
        gort_wg_wait(&wg);
        CHECK_EQ_INT(atomic_load(&got), 1000 + round);
        CHECK_EQ_INT(nv, -1);
    }
    gort_chan_unref(u);
    gort_chan_unref(never);
    return 0;
}

GORT_MAIN(main_fn)
