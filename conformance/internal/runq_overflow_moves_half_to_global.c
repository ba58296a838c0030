// A put into a full local ring (256) moves the older half of the ring (128,
// head first) plus the new goroutine to the global run queue, in that order,
// returns false, and leaves the newer half in the ring, still in order.  The
// scheduler is not started: the global queue holds only what the test put.
#include "export_test.h"

static unsigned long long id_of(G *g) { return g ? (unsigned long long)g->id : 0ull; }

int main(void)
{
    CHECK_EQ_INT(ld_acq(&sched.runq_size), 0);
    P *p = xt_p_new(0);
    G *gs = xt_gs_new(RUNQ_SIZE + 1);
    /* start near the wrap of the indices, as a long-lived P would be */
    p->runq_head = p->runq_tail = UINT32_MAX - 3;
    for (int i = 0; i < RUNQ_SIZE; i++)
        CHECK_MSG(runq_put(p, &gs[i], false), "put %d overflowed a ring of %d", i, RUNQ_SIZE);
    CHECK_EQ_INT(ld_acq(&sched.runq_size), 0);

    CHECK_MSG(!runq_put(p, &gs[RUNQ_SIZE], false), "a put into a full ring returned true");

    int half = RUNQ_SIZE / 2;
    G *ring[RUNQ_SIZE];
    int nr = xt_runq_list(p, ring, RUNQ_SIZE);
    CHECK_EQ_INT(nr, RUNQ_SIZE - half);
    for (int i = 0; i < nr; i++)
        CHECK_MSG(ring[i] == &gs[half + i], "ring slot %d holds %llu, want %d", i, id_of(ring[i]),
                  half + i + 1);

    CHECK_EQ_INT(ld_acq(&sched.runq_size), half + 1);
    G *glob[RUNQ_SIZE + 1];
    int ng = xt_globrunq_take_all(glob, RUNQ_SIZE + 1);
    CHECK_EQ_INT(ng, half + 1);
    for (int i = 0; i < half; i++)
        CHECK_MSG(glob[i] == &gs[i], "global queue entry %d is %llu, want %d", i, id_of(glob[i]), i + 1);
    CHECK_MSG(glob[half] == &gs[RUNQ_SIZE], "global queue ends with %llu, want the new goroutine %d",
              id_of(glob[half]), RUNQ_SIZE + 1);

    /* The ring has room again: the next put stays local. */
    CHECK(runq_put(p, &gs[0], false));
    CHECK_EQ_INT(ld_acq(&sched.runq_size), 0);
    for (int i = 0; i < nr; i++)
        CHECK(runq_get(p, NULL) == &gs[half + i]);
    CHECK(runq_get(p, NULL) == &gs[0]);
    CHECK(runq_empty(p));
    xt_p_free(p);
    free(gs);
    return 0;
}
