// Debug builds check lock ranks (runtime/src/lockrank.h): taking a lock
// while holding one of a higher rank (here a channel lock, rank CHAN,
// under sched.lock's rank SCHED) ends the program with a fatal error that
// names both locks and their ranks.  Holding them in rank order (CHAN, then
// SCHED) first is fine: only the inversion is reported.  Builds without the
// checker (Release) skip.
// gort-test: exit=2
// gort-test: stderr=^fatal error: lock ordering problem: taking CHAN \(rank [0-9]+, 0x[0-9a-f]+\) while holding SCHED \(rank [0-9]+, 0x[0-9a-f]+\)$
#include "export_test.h"

static rt_lock sched_like = RT_LOCK_INIT(SCHED);
static rt_lock chan_like = RT_LOCK_INIT(CHAN);

int main(void)
{
    if (!lockrank_enabled)
        SKIP("this build does not check lock ranks (Debug builds do)");
    /* in order: fine */
    rt_lock_acquire(&chan_like);
    rt_lock_acquire(&sched_like);
    rt_lock_release(&sched_like);
    rt_lock_release(&chan_like);
    fprintf(stderr, "in-order acquisition passed\n");

    rt_lock_acquire(&sched_like);
    rt_lock_acquire(&chan_like);   /* fatal */
    fprintf(stderr, "an out-of-order acquisition was not reported\n");
    return 0;
}
