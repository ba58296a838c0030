// runq_steal takes half of the victim's ring, rounded up (n - n/2), from its
// head: the oldest.  The last one taken is returned to run at once, the rest
// land in the thief's ring in order; the victim keeps the newer half in
// order, and its runnext is left alone while its ring is not empty (even
// when the thief may take runnext).  Checked for every ring length 1..256.
#include "export_test.h"

static unsigned long long id_of(G *g) { return g ? (unsigned long long)g->id : 0ull; }

int main(void)
{
    G *gs = xt_gs_new(RUNQ_SIZE + 1);
    G *next = &gs[RUNQ_SIZE];
    for (int n = 1; n <= RUNQ_SIZE; n++) {
        P *victim = xt_p_new(0), *thief = xt_p_new(1);
        victim->runq_head = victim->runq_tail = (uint32_t)n * 77u;   /* anywhere in the ring */
        thief->runq_head = thief->runq_tail = (uint32_t)n * 13u;
        for (int i = 0; i < n; i++)
            CHECK(runq_put(victim, &gs[i], false));
        CHECK(runq_put(victim, next, true));

        int want = n - n / 2;
        G *g = runq_steal(thief, victim, n % 2 == 0);
        CHECK_MSG(g == &gs[want - 1], "n=%d: steal returned %llu, want %d", n, id_of(g), want);

        G *ring[RUNQ_SIZE];
        int nt = xt_runq_list(thief, ring, RUNQ_SIZE);
        CHECK_MSG(nt == want - 1, "n=%d: thief's ring holds %d, want %d", n, nt, want - 1);
        for (int i = 0; i < nt; i++)
            CHECK_MSG(ring[i] == &gs[i], "n=%d: thief slot %d holds %llu, want %d", n, i,
                      id_of(ring[i]), i + 1);

        int nv = xt_runq_list(victim, ring, RUNQ_SIZE);
        CHECK_MSG(nv == n - want, "n=%d: victim kept %d, want %d", n, nv, n - want);
        for (int i = 0; i < nv; i++)
            CHECK_MSG(ring[i] == &gs[want + i], "n=%d: victim slot %d holds %llu, want %d", n, i,
                      id_of(ring[i]), want + i + 1);
        CHECK_MSG(victim->runnext == next, "n=%d: the victim's runnext was taken with its ring not empty", n);
        CHECK_EQ_INT(thief->st_steals, 1);
        xt_p_free(victim);
        xt_p_free(thief);
    }
    free(gs);
    return 0;
}
