// Locking several channels does not deadlock: with GOMAXPROCS=2, goroutine A
// selects over {send a, recv b} and goroutine B over {send b, recv a} (the
// same channels in opposite case order), 100,000 rounds each, pairing up every
// time; a third pair does the same on buffered channels.  All finish, and the
// counts match (every send met one receive).
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define ROUNDS 100000

typedef struct { gort_chan *x, *y; long sent, recvd; } side;
static side sides[4];
static gort_waitgroup wg;

static void run_side(void *arg)
{
    side *s = (side *)arg;
    for (int i = 0; i < ROUNDS; i++) {
        int64_t out = i, in = -1;
        gort_case cs[2] = {{GORT_SEND, s->x, &out, false}, {GORT_RECV, s->y, &in, false}};
        int idx = gort_select(cs, 2, true);
        if (idx == 0) s->sent++;
        else { CHECK_EQ_INT(idx, 1); s->recvd++; }
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *a = gort_chan_make(sizeof(int64_t), 0), *b = gort_chan_make(sizeof(int64_t), 0);
    gort_chan *c = gort_chan_make(sizeof(int64_t), 1), *d = gort_chan_make(sizeof(int64_t), 1);
    sides[0] = (side){a, b, 0, 0};
    sides[1] = (side){b, a, 0, 0};
    sides[2] = (side){c, d, 0, 0};
    sides[3] = (side){d, c, 0, 0};
    gort_wg_add(&wg, 4);
    for (int i = 0; i < 4; i++) go(run_side, &sides[i]);
    gort_wg_wait(&wg);
    /* unbuffered pair: A's sends are B's receives and vice versa */
    CHECK_EQ_INT(sides[0].sent, sides[1].recvd);
    CHECK_EQ_INT(sides[1].sent, sides[0].recvd);
    /* buffered pair: what was sent and not received is still buffered */
    CHECK_EQ_INT(sides[2].sent - sides[3].recvd, (long)gort_chan_len(c));
    CHECK_EQ_INT(sides[3].sent - sides[2].recvd, (long)gort_chan_len(d));
    gort_chan_unref(a);
    gort_chan_unref(b);
    gort_chan_unref(c);
    gort_chan_unref(d);
    return 0;
}

GORT_MAIN(main_fn)
