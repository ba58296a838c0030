// runq_put(next=true) puts a goroutine in the P's runnext slot: runq_get
// returns it before everything in the ring, and it inherits the time slice.
// A second runq_put(next=true) takes the slot, and the goroutine it displaces
// goes to the tail of the ring (it is not lost, and does not jump the queue).
#include "export_test.h"

static unsigned long long id_of(G *g) { return g ? (unsigned long long)g->id : 0ull; }

int main(void)
{
    P *p = xt_p_new(0);
    G *gs = xt_gs_new(8);
    G *a = &gs[0], *b = &gs[1], *c = &gs[2], *d = &gs[3], *e = &gs[4];

    CHECK(runq_put(p, a, false));
    CHECK(runq_put(p, b, false));
    CHECK(runq_put(p, c, true));
    CHECK_MSG(p->runnext == c, "runnext is goroutine %llu, want 3", id_of(p->runnext));
    G *ring[8];
    CHECK_EQ_INT(xt_runq_list(p, ring, 8), 2);

    /* d takes runnext; c is kicked to the tail, behind a and b. */
    CHECK(runq_put(p, d, true));
    CHECK_MSG(p->runnext == d, "runnext is goroutine %llu, want 4", id_of(p->runnext));
    CHECK_EQ_INT(xt_runq_list(p, ring, 8), 3);
    CHECK_MSG(ring[0] == a && ring[1] == b && ring[2] == c,
              "ring is %llu %llu %llu, want 1 2 3", id_of(ring[0]), id_of(ring[1]), id_of(ring[2]));

    bool inherit = false;
    G *g = runq_get(p, &inherit);
    CHECK_MSG(g == d, "first get returned %llu, want runnext 4", id_of(g));
    CHECK_MSG(inherit, "the runnext goroutine did not inherit the time slice");
    CHECK(p->runnext == NULL);

    /* e into the empty slot displaces nobody; then the ring in order. */
    CHECK(runq_put(p, e, true));
    CHECK_EQ_INT(xt_runq_list(p, ring, 8), 3);
    G *want[] = { e, a, b, c };
    for (int i = 0; i < 4; i++) {
        inherit = i != 0;
        g = runq_get(p, &inherit);
        CHECK_MSG(g == want[i], "get %d returned %llu, want %llu", i, id_of(g), id_of(want[i]));
        CHECK_MSG(inherit == (i == 0), "get %d: inherit_time %d", i, (int)inherit);
    }
    CHECK(runq_get(p, NULL) == NULL);

    /* A full ring: the displaced runnext overflows like any put at the tail. */
    G *many = xt_gs_new(RUNQ_SIZE + 2);
    for (int i = 0; i < RUNQ_SIZE; i++)
        CHECK(runq_put(p, &many[i], false));
    CHECK(runq_put(p, &many[RUNQ_SIZE], true));           /* empty slot: fits */
    CHECK(!runq_put(p, &many[RUNQ_SIZE + 1], true));      /* displaced one overflows */
    CHECK(p->runnext == &many[RUNQ_SIZE + 1]);
    G *glob[RUNQ_SIZE];
    int n = xt_globrunq_take_all(glob, RUNQ_SIZE);
    CHECK_EQ_INT(n, RUNQ_SIZE / 2 + 1);
    CHECK_MSG(glob[n - 1] == &many[RUNQ_SIZE], "the displaced runnext is not last on the global queue");

    xt_p_free(p);
    free(gs);
    free(many);
    return 0;
}
