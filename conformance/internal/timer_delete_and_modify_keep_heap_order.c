// Deleting timers from anywhere in a P's heap (timer_del), modifying them
// (timer_del and a new add, as Stop/Reset do) and re-arming periodic timers
// as they fire (timers_run sifts the top down in place) keep the 4-ary heap
// ordered, every timer's index right, and timer0_when equal to the top.
// 20,000 random operations on up to 1000 timers, the heap checked after
// each; no deleted timer ever fires, every due one does.
#include "export_test.h"

#define N 1000
#define NPERIODIC 20
#define OPS 20000

static timer tm[N];
static bool queued[N];      /* the test's view: on the heap */
static int64_t when_of[N];  /* and its deadline */
static int64_t run_now;
static int64_t last_fired_when;
static int fires;

static void on_fire(void *arg, uint64_t seq, int64_t now)
{
    (void)seq;
    int i = (int)(intptr_t)arg;
    CHECK_MSG(queued[i], "timer %d fired after it was deleted", i);
    CHECK_EQ_INT(now, run_now);
    CHECK_MSG(when_of[i] <= now, "timer %d (deadline %lld) fired at %lld", i, (long long)when_of[i],
              (long long)now);
    CHECK_MSG(when_of[i] >= last_fired_when, "timer %d (deadline %lld) fired after one with deadline %lld",
              i, (long long)when_of[i], (long long)last_fired_when);
    last_fired_when = when_of[i];
    fires++;
    if (tm[i].period > 0) {
        /* re-armed before its callback: the next period after now, still queued */
        CHECK_MSG(ld_acq(&tm[i].pp) != NULL, "periodic timer %d left the heap", i);
        CHECK_MSG(tm[i].when > now && (tm[i].when - when_of[i]) % tm[i].period == 0,
                  "periodic timer %d re-armed at %lld (was %lld, period %lld, now %lld)", i,
                  (long long)tm[i].when, (long long)when_of[i], (long long)tm[i].period, (long long)now);
        when_of[i] = tm[i].when;
    } else {
        CHECK_MSG(ld_acq(&tm[i].pp) == NULL, "one-shot timer %d still queued when it fired", i);
        queued[i] = false;
    }
}

static void check_heap(P *p, int op, const char *what)
{
    const char *fault = xt_timer_heap_fault(p);
    CHECK_MSG(fault == NULL, "op %d (%s): %s", op, what, fault);
    int n = 0;
    for (int i = 0; i < N; i++) n += queued[i];
    CHECK_MSG(p->ntimers == n, "op %d (%s): heap holds %d timers, want %d", op, what, p->ntimers, n);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    P *p = xt_p_new(100);
    uint64_t rng = 777;
    int64_t now = 1000;
    for (int i = 0; i < N; i++) {
        tm[i] = (timer){ .fn = on_fire, .arg = (void *)(intptr_t)i };
        if (i < NPERIODIC) tm[i].period = 500 + (int64_t)(rand_next(&rng) % 5000);
    }
    int dels = 0, mods = 0, runs = 0;
    for (int op = 0; op < OPS; op++) {
        int i = (int)(rand_next(&rng) % N);
        unsigned r = (unsigned)(rand_next(&rng) % 100);
        const char *what;
        if (!queued[i]) {
            when_of[i] = now + 1 + (int64_t)(rand_next(&rng) % 100000);
            xt_timer_add_on(p, &tm[i], when_of[i]);
            queued[i] = true;
            what = "add";
        } else if (r < 45) {
            CHECK_MSG(timer_del(&tm[i]), "op %d: timer_del of queued timer %d returned false", op, i);
            queued[i] = false;
            CHECK(ld_acq(&tm[i].pp) == NULL);
            CHECK_MSG(!timer_del(&tm[i]), "op %d: second timer_del of timer %d returned true", op, i);
            what = "delete";
            dels++;
        } else if (r < 90) {
            /* modify: earlier or later, as a Reset does */
            CHECK(timer_del(&tm[i]));
            when_of[i] = now + 1 + (int64_t)(rand_next(&rng) % 100000);
            xt_timer_add_on(p, &tm[i], when_of[i]);
            what = "modify";
            mods++;
        } else {
            now += (int64_t)(rand_next(&rng) % 3000);
            run_now = now;
            last_fired_when = INT64_MIN;
            timers_run(p, now);
            CHECK_MSG(p->ntimers == 0 || p->timers[0]->when > now, "op %d: timers_run left a due timer", op);
            what = "run";
            runs++;
        }
        check_heap(p, op, what);
    }
    NOTE("%d deletes, %d modifies, %d runs, %d fires\n", dels, mods, runs, fires);
    CHECK(dels > 1000 && mods > 1000 && runs > 100 && fires > 100);

    /* Drop the periodic ones; the rest all fire, in order. */
    for (int i = 0; i < NPERIODIC; i++)
        if (queued[i]) {
            CHECK(timer_del(&tm[i]));
            queued[i] = false;
        }
    check_heap(p, OPS, "delete periodic");
    run_now = INT64_MAX;
    last_fired_when = INT64_MIN;
    timers_run(p, INT64_MAX);
    CHECK_EQ_INT(p->ntimers, 0);
    for (int i = 0; i < N; i++) CHECK_MSG(!queued[i], "timer %d never fired", i);
    check_heap(p, OPS + 1, "drain");
    xt_p_free(p);
    return 0;
}

GORT_MAIN(main_fn)
