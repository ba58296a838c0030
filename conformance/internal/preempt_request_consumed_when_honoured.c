// Without asynchronous preemption, sysmon asks a goroutine that has run a
// time slice to yield (G.preempt = 1, sched.preempt_pending counted up) and
// it yields at its next preemption point (here gort_chan_try_recv).  Once
// honoured, the request is consumed: the goroutine's flag and the pending
// count come down together, so later gort calls are not slowed by a
// request nobody makes and the next request is told apart from this one.
// The invariant checked: with main the only goroutine left, preempt_pending
// counts main's flag (1 if set, else 0).  sysmon may ask again at any time
// (its look at the P can predate main's yield, as Go's can), which raises
// both; the moment between its two stores is waited out (up to 100 ms).
// GOMAXPROCS=1 with a goroutine queued behind main: that it ran before
// main's gort_chan_try_recv returned shows the yield happened there.
// White-box: G.preempt and sched.preempt_pending.
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
#include "export_test.h"

static _Atomic int queued_ran;

static void queued(void *arg)
{
    (void)arg;
    atomic_store(&queued_ran, 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    G *g = gort__getg();
    gort_chan *ch = gort_chan_make(sizeof(int), 1);
    go(queued, NULL);   /* runs only if main gives way */
    xt_spin_until_asked_to_yield(g, "only");
    CHECK_EQ_INT(atomic_load(&queued_ran), 0);
    int v;
    bool ok;
    CHECK(!gort_chan_try_recv(ch, &v, &ok));   /* the preemption point */
    CHECK_MSG(atomic_load(&queued_ran), "main did not give way at its preemption point");
    uint32_t flag, pending;
    CHECK_MSG(xt_preempt_pending_counts_flag(g, &flag, &pending), "after main honoured the request to "
              "yield, its flag is %u but preempt_pending is %u (%d) with no other goroutine left", flag,
              pending, (int)pending);
    gort_chan_unref(ch);
    return 0;
}

GORT_MAIN(main_fn)
