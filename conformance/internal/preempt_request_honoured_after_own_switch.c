// Without asynchronous preemption, a goroutine that has run a time slice
// is asked to yield (G.preempt, counted in sched.preempt_pending) and does
// so at its next preemption point (a channel operation, select, a mutex
// lock).  One that switches on its own first (here gort_sleep, which has
// no preemption point) drops the request: the count comes down with the
// flag, not below it.  So a later request is honoured as the first was:
// main, asked a second time, gives way to the goroutine queued behind it at
// its next gort_chan_try_recv, which then finds what that goroutine sent.
// GOMAXPROCS=1: the queued goroutine can run only if main gives way.
// White-box: G.preempt and sched.preempt_pending.
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
#include "export_test.h"

static gort_chan *ch;

static void sender(void *arg)
{
    (void)arg;
    int v = 7;
    gort_chan_send(ch, &v);   /* buffered: does not block */
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    G *g = gort__getg();
    xt_spin_until_asked_to_yield(g, "first");
    CHECK_EQ_INT(ld_rlx(&sched.preempt_pending), 1);
    gort_sleep(MS(1));   /* switches without passing a preemption point */
    /* The request was dropped with the switch: the pending count came down
     * with the flag (sysmon may already have asked again: its look at the
     * P can predate the sleep). */
    uint32_t flag, pending;
    CHECK_MSG(xt_preempt_pending_counts_flag(g, &flag, &pending), "after the only goroutine asked to "
              "yield switched on its own, its flag is %u but preempt_pending is %u (%d)", flag, pending,
              (int)pending);

    ch = gort_chan_make(sizeof(int), 1);
    go(sender, NULL);   /* queued behind main */
    xt_spin_until_asked_to_yield(g, "second");
    int v = 0, calls = 0;
    bool ok = false;
    int64_t end = now_ns() + MS(10000);
    while (!gort_chan_try_recv(ch, &v, &ok)) {
        calls++;
        CHECK_MSG(now_ns() < end, "asked to yield, main made %d channel calls in 10 s without giving way "
                  "to the goroutine queued behind it", calls);
    }
    CHECK(ok);
    CHECK_EQ_INT(v, 7);
    return 0;
}

GORT_MAIN(main_fn)
