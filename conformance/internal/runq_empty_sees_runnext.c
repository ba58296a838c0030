// runq_empty is true only when both the ring and the runnext slot are empty:
// a P whose only runnable goroutine sits in runnext is not idle (the
// scheduler must not park it, nor a spinning thread give up on it).
#include "export_test.h"

int main(void)
{
    P *p = xt_p_new(0);
    G *gs = xt_gs_new(2);
    CHECK_MSG(runq_empty(p), "a new P's queue is not empty");

    CHECK(runq_put(p, &gs[0], true));
    CHECK(p->runq_head == p->runq_tail);
    CHECK_MSG(!runq_empty(p), "runq_empty with a goroutine in runnext");
    CHECK(runq_get(p, NULL) == &gs[0]);
    CHECK_MSG(runq_empty(p), "empty again after taking runnext");

    CHECK(runq_put(p, &gs[1], false));
    CHECK_MSG(!runq_empty(p), "runq_empty with a goroutine in the ring");
    CHECK(runq_put(p, &gs[0], true));
    CHECK(!runq_empty(p));
    CHECK(runq_get(p, NULL) == &gs[0]);
    CHECK_MSG(!runq_empty(p), "runq_empty with the ring still holding one");
    CHECK(runq_get(p, NULL) == &gs[1]);
    CHECK(runq_empty(p));

    /* A thief emptied the ring, runnext remains. */
    P *thief = xt_p_new(1);
    CHECK(runq_put(p, &gs[1], false));
    CHECK(runq_put(p, &gs[0], true));
    CHECK(runq_steal(thief, p, false) == &gs[1]);
    CHECK_MSG(!runq_empty(p), "runq_empty with runnext left after a steal");
    CHECK(runq_empty(thief));
    xt_p_free(thief);
    xt_p_free(p);
    free(gs);
    return 0;
}
