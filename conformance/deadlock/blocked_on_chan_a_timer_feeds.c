// A goroutine blocked on an ordinary channel that a timer will (indirectly)
// feed is not deadlocked: main waits on an unbuffered channel; the only
// other goroutine waits on a Timer's channel (150 ms) and then sends to
// main.  Then the same with a context: main blocks on a 150 ms timeout's
// done channel, which the deadline timer closes.  The program ends normally.
// gort-test: stdout=^fed by the timer$
// gort-test: stdout=^closed by the deadline$
// gort-test: timeout=10
#include "check.h"

static void relay(void *arg)
{
    gort_chan *c = arg;
    gort_timer *t = gort_timer_new(MS(150));
    int64_t v = 0;
    CHECK(gort_chan_recv(gort_timer_chan(t), &v));
    gort_timer_free(t);
    gort_chan_send(c, &v);
    gort_chan_unref(c);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(int64_t), 0);
    go(relay, gort_chan_ref(c));
    int64_t v = 0;
    CHECK(gort_chan_recv(c, &v));
    CHECK(v > 0);
    gort_chan_unref(c);
    printf("fed by the timer\n");

    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(150));
    CHECK(!gort_chan_recv(gort_ctx_done(ctx), NULL));
    CHECK_EQ_INT(gort_ctx_err(ctx), GORT_DEADLINE_EXCEEDED);
    gort_ctx_unref(ctx);
    printf("closed by the deadline\n");
    return 0;
}

GORT_MAIN(main_fn)
