// A P's local run queue is FIFO: runq_put (next=false) appends at the tail
// and runq_get takes from the head, up to the ring's full 256, with no
// inherited time slice, and across the wrap of the 32-bit head and tail
// indices.  White-box: a P of the test's own and G descriptors that never run.
#include "export_test.h"

static void fill_and_drain(P *p, G *gs, uint32_t start)
{
    p->runq_head = p->runq_tail = start;
    CHECK(runq_get(p, NULL) == NULL);
    for (int i = 0; i < RUNQ_SIZE; i++)
        CHECK_MSG(runq_put(p, &gs[i], false), "put %d into a ring with room returned false", i);
    CHECK(p->runnext == NULL);
    G *ring[RUNQ_SIZE];
    CHECK_EQ_INT(xt_runq_list(p, ring, RUNQ_SIZE), RUNQ_SIZE);
    for (int i = 0; i < RUNQ_SIZE; i++)
        CHECK_MSG(ring[i] == &gs[i], "ring slot %d holds goroutine %llu, want %d", i,
                  (unsigned long long)ring[i]->id, i + 1);
    for (int i = 0; i < RUNQ_SIZE; i++) {
        bool inherit = true;
        G *g = runq_get(p, &inherit);
        CHECK_MSG(g == &gs[i], "get %d returned goroutine %llu, want %d (start %u)", i,
                  g ? (unsigned long long)g->id : 0ull, i + 1, start);
        CHECK_MSG(!inherit, "a goroutine from the ring inherited the time slice");
    }
    CHECK(runq_get(p, NULL) == NULL);
    CHECK(runq_empty(p));
    CHECK_EQ_U64(p->runq_tail - p->runq_head, 0);
}

int main(void)
{
    P *p = xt_p_new(0);
    G *gs = xt_gs_new(RUNQ_SIZE);
    fill_and_drain(p, gs, 0);
    fill_and_drain(p, gs, UINT32_MAX - 100);   /* head and tail wrap around */

    /* Interleaved: a queue that never fills still gives them back in order. */
    int next_in = 0, next_out = 0;
    for (int round = 0; round < 1000; round++) {
        for (int k = 0; k < 3; k++, next_in++)
            CHECK(runq_put(p, &gs[next_in % RUNQ_SIZE], false));
        for (int k = 0; k < 2; k++, next_out++)
            CHECK(runq_get(p, NULL) == &gs[next_out % RUNQ_SIZE]);
        if (next_in - next_out > RUNQ_SIZE - 3)
            while (next_out < next_in) {
                CHECK(runq_get(p, NULL) == &gs[next_out % RUNQ_SIZE]);
                next_out++;
            }
    }
    xt_p_free(p);
    free(gs);
    return 0;
}
