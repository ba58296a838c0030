// With GOMAXPROCS=2, work spawned by one goroutine is spread over two threads:
// 100 CPU-bound goroutines spawned by main (fewer than a local run queue
// holds) run on at least 2 distinct OS threads, stats.threads >= 2 while they
// are busy, and stats.steals grows (the idle P stole from main's).
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define N 100
#define MAXTID 64

static gort_waitgroup wg;
static _Atomic long tids[MAXTID];
static _Atomic int max_threads_seen;

static void note_tid(void)
{
    long t = gettid_();
    for (int k = 0; k < MAXTID; k++) {
        long cur = atomic_load(&tids[k]);
        if (cur == t) return;
        if (cur == 0) {
            long zero = 0;
            if (atomic_compare_exchange_strong(&tids[k], &zero, t)) return;
            if (zero == t) return;
        }
    }
}

static void burner(void *arg)
{
    (void)arg;
    note_tid();
    spin_ns(US(300));
    note_tid();
    int th = (int)stats_now().threads;
    int m = atomic_load(&max_threads_seen);
    while (th > m && !atomic_compare_exchange_weak(&max_threads_seen, &m, th)) {}
    spin_ns(US(300));
    note_tid();
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    gort_stats before = stats_now();
    gort_wg_add(&wg, N);
    for (int i = 0; i < N; i++) go(burner, NULL);
    gort_wg_wait(&wg);
    gort_stats after = stats_now();
    int distinct = 0;
    for (int k = 0; k < MAXTID; k++) distinct += atomic_load(&tids[k]) != 0;
    CHECK_MSG(distinct >= 2, "all %d goroutines ran on %d thread(s)", N, distinct);
    CHECK_MSG(atomic_load(&max_threads_seen) >= 2, "stats.threads was at most %d while busy", atomic_load(&max_threads_seen));
    CHECK_MSG(after.steals > before.steals, "stats.steals did not grow (%lld -> %lld)",
              (long long)before.steals, (long long)after.steals);
    return 0;
}

GORT_MAIN(main_fn)
