// gort_stats is consistent with the rest of the API and with what the
// program did:
//  - goroutines == gort_num_goroutine(), procs == GOMAXPROCS (also after a
//    change), threads between 1 and the process's OS threads less sysmon;
//  - spawned grows by exactly the number of goroutines started;
//  - switches grow by at least 2K when two goroutines yield to each other K
//    times each at GOMAXPROCS=1 (every such yield is a switch), and by at
//    least N when N new goroutines each run;
//  - steals grow when, at GOMAXPROCS=2, work queued on one P is run by the
//    other (the spawns go to the spawning P's own queue: the other P can only
//    get them by stealing);
//  - committed stack bytes never exceed reserved ones, and live stacks are
//    covered by guards.
#include "check.h"

#define N 300
#define K 200
#define W 16

static gort_waitgroup gate, parked, fin, wg;

static void body(void *arg)
{
    (void)arg;
    gort_yield();
    gort_wg_done(&parked);
    gort_wg_wait(&gate);
    gort_wg_done(&fin);
}

static void pinger(void *arg)
{
    (void)arg;
    for (int i = 0; i < K; i++) gort_yield();
    gort_wg_done(&wg);
}

static void worker(void *arg)
{
    (void)arg;
    spin_ns(US(500));       /* long enough for the other P's M to come and steal */
    gort_wg_done(&wg);
}

static void check_basic(const gort_stats *s)
{
    CHECK_GE_INT(s->threads, 1);
    long os = os_thread_count();
    CHECK_MSG(s->threads <= os - 1, "%lld Ms, but only %ld OS threads besides sysmon", (long long)s->threads,
              os - 1);
    CHECK_MSG(s->stack_committed_bytes <= s->stack_reserved_bytes, "committed %lld > reserved %lld",
              (long long)s->stack_committed_bytes, (long long)s->stack_reserved_bytes);
    int64_t guards = s->stack_guards_kernel + s->stack_guards_mprotect + s->stack_guards_canary;
    CHECK_MSG(guards >= s->goroutines, "guards for %lld stacks, %lld goroutines alive", (long long)guards,
              (long long)s->goroutines);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int procs = gort_gomaxprocs(0);
    gort_stats s0 = stats_now();
    check_basic(&s0);
    CHECK_EQ_INT(s0.goroutines, gort_num_goroutine());
    CHECK_EQ_INT(s0.goroutines, 1);
    CHECK_EQ_INT(s0.procs, procs);
    CHECK_EQ_INT(s0.spawned, 1);           /* main */

    /* N goroutines that run, yield and park */
    gort_wg_add(&gate, 1);
    gort_wg_add(&parked, N);
    gort_wg_add(&fin, N);
    for (int i = 0; i < N; i++) go(body, NULL);
    gort_wg_wait(&parked);
    gort_stats s1 = stats_now();
    check_basic(&s1);
    CHECK_EQ_INT(s1.goroutines, N + 1);
    CHECK_EQ_INT(s1.goroutines, gort_num_goroutine());
    CHECK_EQ_INT(s1.spawned - s0.spawned, N);
    CHECK_MSG(s1.switches - s0.switches >= N, "switches grew by %lld after %d new goroutines ran",
              (long long)(s1.switches - s0.switches), N);
    CHECK(s1.stack_reserved_bytes > 0);
    CHECK(s1.stack_committed_bytes > 0);

    gort_gomaxprocs(3);
    CHECK_EQ_INT(stats_now().procs, 3);
    gort_gomaxprocs(procs);
    CHECK_EQ_INT(stats_now().procs, procs);

    gort_wg_done(&gate);
    gort_wg_wait(&fin);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_stats s2 = stats_now();
    check_basic(&s2);
    CHECK_EQ_INT(s2.goroutines, 1);
    CHECK_EQ_INT(s2.spawned, s1.spawned);

    /* Two goroutines yield to each other K times each on one P. */
    gort_gomaxprocs(1);
    gort_stats s3 = stats_now();
    gort_wg_add(&wg, 2);
    go(pinger, NULL);
    go(pinger, NULL);
    gort_wg_wait(&wg);
    gort_stats s4 = stats_now();
    CHECK_EQ_INT(s4.spawned - s3.spawned, 2);
    CHECK_MSG(s4.switches - s3.switches >= 2 * K, "switches grew by %lld after 2 x %d yields to each other",
              (long long)(s4.switches - s3.switches), K);

    /* Work stolen at GOMAXPROCS=2 (a few rounds, in case the other P's M
     * got no CPU while this one ran the whole batch). */
    gort_gomaxprocs(2);
    gort_stats s5 = stats_now(), s6 = s5;
    int rounds = 0;
    while (s6.steals == s5.steals && rounds < 50) {
        gort_wg_add(&wg, W);
        for (int i = 0; i < W; i++) go(worker, NULL);
        gort_wg_wait(&wg);
        rounds++;
        s6 = stats_now();
    }
    NOTE("steals grew by %lld in %d round(s) of %d goroutines\n", (long long)(s6.steals - s5.steals), rounds, W);
    CHECK_MSG(s6.steals > s5.steals, "no steal counted in %d rounds of %d goroutines at GOMAXPROCS=2", rounds, W);
    CHECK_EQ_INT(s6.spawned - s5.spawned, (int64_t)rounds * W);

    gort_gomaxprocs(procs);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_stats s7 = stats_now();
    check_basic(&s7);
    CHECK_EQ_INT(s7.goroutines, 1);
    CHECK_EQ_INT(s7.procs, procs);
    return 0;
}

GORT_MAIN(main_fn)
