// With the victim's ring empty, runq_steal(steal_runnext=false) takes nothing
// and leaves runnext where it is; with steal_runnext=true it takes the
// runnext goroutine (the thief's last resort), returning it without putting
// it in the thief's ring.  The victim is idle here, so the thief does not
// wait for it to run its runnext first.
#include "export_test.h"

int main(void)
{
    P *victim = xt_p_new(0), *thief = xt_p_new(1);
    G *gs = xt_gs_new(2);
    CHECK(runq_steal(thief, victim, true) == NULL);    /* nothing at all */

    CHECK(runq_put(victim, &gs[0], true));
    CHECK(runq_empty(thief));
    G *g = runq_steal(thief, victim, false);
    CHECK_MSG(g == NULL, "steal without steal_runnext took goroutine %llu", (unsigned long long)g->id);
    CHECK_MSG(victim->runnext == &gs[0], "runnext moved on a steal that must not take it");
    CHECK_EQ_INT(thief->st_steals, 0);

    g = runq_steal(thief, victim, true);
    CHECK_MSG(g == &gs[0], "steal with steal_runnext did not take runnext");
    CHECK(victim->runnext == NULL);
    CHECK(runq_empty(victim));
    CHECK_MSG(runq_empty(thief), "the stolen runnext was also left in the thief's ring");
    CHECK_EQ_INT(thief->st_steals, 1);

    CHECK(runq_steal(thief, victim, true) == NULL);
    xt_p_free(victim);
    xt_p_free(thief);
    free(gs);
    return 0;
}
