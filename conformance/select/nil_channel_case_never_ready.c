// A case on a NULL channel is never ready: a select with only NULL cases
// (send or receive) and block false returns -1; next to a ready case, the
// ready case is chosen every time (2,000 tries); a blocking select with a
// NULL case and a real channel wakes for the real one only.
#include "check.h"

static gort_chan *real;
static int got_idx = -2;
static int64_t got_val;
static gort_waitgroup wg;

static void blocked_selecter(void *arg)
{
    (void)arg;
    int64_t e0 = -1, e1 = -1, s = 1;
    gort_case cs[3] = {{GORT_RECV, NULL, &e0, false}, {GORT_SEND, NULL, &s, false}, {GORT_RECV, real, &e1, false}};
    got_idx = gort_select(cs, 3, true);
    got_val = e1;
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int64_t e = -1, s = 5;
    gort_case r1[1] = {{GORT_RECV, NULL, &e, false}};
    gort_case s1[1] = {{GORT_SEND, NULL, &s, false}};
    for (int i = 0; i < 100; i++) {
        CHECK_EQ_INT(gort_select(r1, 1, false), -1);
        CHECK_EQ_INT(gort_select(s1, 1, false), -1);
    }
    CHECK_EQ_INT(e, -1);

    gort_chan *c = gort_chan_make(sizeof(int64_t), 1);
    for (int i = 0; i < 2000; i++) {
        gort_case cs[3] = {{GORT_RECV, NULL, &e, false}, {GORT_SEND, c, &s, false}, {GORT_SEND, NULL, &s, false}};
        CHECK_EQ_INT(gort_select(cs, 3, i % 2 == 0), 1);
        int64_t v;
        CHECK(gort_chan_recv(c, &v));
    }
    gort_chan_unref(c);

    real = gort_chan_make(sizeof(int64_t), 0);
    gort_wg_add(&wg, 1);
    go(blocked_selecter, NULL);
    gort_sleep(MS(20));
    CHECK_EQ_INT(got_idx, -2);
    int64_t v = 77;
    gort_chan_send(real, &v);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(got_idx, 2);
    CHECK_EQ_INT(got_val, 77);
    gort_chan_unref(real);
    return 0;
}

GORT_MAIN(main_fn)
