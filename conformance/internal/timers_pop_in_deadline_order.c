// A P's timer heap (4-ary min-heap) fires timers in deadline order: 5000
// timers with random deadlines (many equal) are added to a P of the test's
// own, the heap is checked after every add, and timers_run, called with
// rising `now`, fires exactly those due, each once, in non-decreasing
// deadline order, keeping the heap and timer0_when right after every step.
#include "export_test.h"

#define N 5000

static timer tm[N];
static int64_t fired_when[N];
static int nfired;
static int64_t run_now;
static unsigned char fired[N];

static void on_fire(void *arg, uint64_t seq, int64_t now)
{
    int i = (int)(intptr_t)arg;
    CHECK_EQ_U64(seq, (uint64_t)i * 7);
    CHECK_EQ_INT(now, run_now);
    CHECK_MSG(!fired[i], "timer %d fired twice", i);
    CHECK_MSG(tm[i].when <= now, "timer %d fired at %lld before its deadline %lld", i,
              (long long)now, (long long)tm[i].when);
    CHECK_MSG(ld_acq(&tm[i].pp) == NULL, "timer %d still on a heap in its callback", i);
    fired[i] = 1;
    fired_when[nfired++] = tm[i].when;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    P *p = xt_p_new(100);
    uint64_t rng = 12345;
    for (int i = 0; i < N; i++) {
        tm[i] = (timer){ .fn = on_fire, .arg = (void *)(intptr_t)i, .seq = (uint64_t)i * 7 };
        xt_timer_add_on(p, &tm[i], 1 + (int64_t)(rand_next(&rng) % 20000));
        CHECK_MSG(ld_acq(&tm[i].pp) == p, "timer %d not on the P's heap after add", i);
        const char *fault = xt_timer_heap_fault(p);
        CHECK_MSG(fault == NULL, "after adding timer %d: %s", i, fault);
    }
    CHECK_EQ_INT(p->ntimers, N);

    int64_t now = 0;
    while (p->ntimers > 0) {
        now += (int64_t)(rand_next(&rng) % 300);
        int before = nfired;
        run_now = now;
        timers_run(p, now);
        for (int k = before; k < nfired; k++)
            CHECK_MSG(k == 0 || fired_when[k - 1] <= fired_when[k],
                      "fired out of order: deadline %lld after %lld", (long long)fired_when[k],
                      (long long)fired_when[k - 1]);
        const char *fault = xt_timer_heap_fault(p);
        CHECK_MSG(fault == NULL, "after timers_run(%lld): %s", (long long)now, fault);
        CHECK_MSG(p->ntimers == 0 || p->timers[0]->when > now,
                  "timers_run(%lld) left a due timer (deadline %lld)", (long long)now,
                  (long long)p->timers[0]->when);
        CHECK_EQ_INT(p->ntimers + nfired, N);
    }
    CHECK_EQ_INT(nfired, N);
    CHECK_EQ_INT(ld_acq(&p->timer0_when), 0);
    xt_p_free(p);
    return 0;
}

GORT_MAIN(main_fn)
