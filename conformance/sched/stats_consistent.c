// gort_stats is consistent with the rest of the API: goroutines ==
// gort_num_goroutine(), procs == GOMAXPROCS, spawned grows by at least the
// number spawned, switches grow when goroutines yield, threads >= 1, and the
// committed stack bytes never exceed the reserved ones.
#include "check.h"

#define N 300

static gort_waitgroup gate, parked, fin;

static void body(void *arg)
{
    (void)arg;
    gort_yield();
    gort_wg_done(&parked);
    gort_wg_wait(&gate);
    gort_wg_done(&fin);
}

static void check_basic(const gort_stats *s)
{
    CHECK(s->threads >= 1);
    CHECK(s->procs >= 1);
    CHECK(s->switches >= 0);
    CHECK(s->steals >= 0);
    CHECK(s->stack_reserved_bytes >= 0);
    CHECK(s->stack_committed_bytes >= 0);
    CHECK_MSG(s->stack_committed_bytes <= s->stack_reserved_bytes, "committed %lld > reserved %lld",
              (long long)s->stack_committed_bytes, (long long)s->stack_reserved_bytes);
    CHECK(s->stack_guards_kernel >= 0 && s->stack_guards_mprotect >= 0 && s->stack_guards_canary >= 0);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_stats s0 = stats_now();
    check_basic(&s0);
    CHECK_EQ_INT(s0.goroutines, gort_num_goroutine());
    CHECK_EQ_INT(s0.goroutines, 1);
    CHECK_EQ_INT(s0.procs, gort_gomaxprocs(0));

    gort_wg_add(&gate, 1);
    gort_wg_add(&parked, N);
    gort_wg_add(&fin, N);
    for (int i = 0; i < N; i++) go(body, NULL);
    gort_wg_wait(&parked);
    gort_sleep(MS(5));
    gort_stats s1 = stats_now();
    check_basic(&s1);
    CHECK_EQ_INT(s1.goroutines, N + 1);
    CHECK_EQ_INT(s1.goroutines, gort_num_goroutine());
    CHECK_MSG(s1.spawned - s0.spawned >= N, "spawned grew by %lld for %d spawns", (long long)(s1.spawned - s0.spawned), N);
    CHECK_MSG(s1.switches - s0.switches >= N, "switches grew by %lld after %d goroutines ran, yielded and parked",
              (long long)(s1.switches - s0.switches), N);
    CHECK(s1.stack_reserved_bytes > 0);
    CHECK(s1.stack_committed_bytes > 0);

    gort_gomaxprocs(3);
    CHECK_EQ_INT(stats_now().procs, 3);
    gort_gomaxprocs(s0.procs);

    gort_wg_done(&gate);
    gort_wg_wait(&fin);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_stats s2 = stats_now();
    check_basic(&s2);
    CHECK_EQ_INT(s2.goroutines, 1);
    CHECK(s2.spawned >= s1.spawned);
    CHECK(s2.switches >= s1.switches);
    CHECK_EQ_INT(s2.procs, s0.procs);
    return 0;
}

GORT_MAIN(main_fn)
