// Stacks that grew deep give their extra pages back when they return to the
// cache: 1,000 goroutines each touch 48 KiB of stack while all are alive
// (about 48 MiB more), then end; afterwards at least half of that growth is
// gone again, both in gort_stats.stack_committed_bytes and in resident memory
// (pages freed lazily with MADV_FREE are not counted as held).
#include "check.h"

#define N 1000

static gort_waitgroup gate, parked, fin;

static CHECK_NOINLINE int use_stack(int kb)
{
    volatile char buf[1024];
    buf[0] = (char)kb;
    buf[sizeof buf - 1] = (char)kb;
    if (kb <= 1) return buf[0];
    return use_stack(kb - 1) + buf[sizeof buf - 1] - (char)kb;
}

static void deep(void *arg)
{
    (void)arg;
    CHECK_EQ_INT(use_stack(48), 1);
    gort_wg_done(&parked);
    gort_wg_wait(&gate);
    gort_wg_done(&fin);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_SANITIZERS();
    SKIP_UNDER_VALGRIND("an RSS test: Valgrind's shadow memory for the stacks stays resident");
    gort_stats s0 = stats_now();
    int64_t r0 = rss_effective_bytes();
    gort_wg_add(&gate, 1);
    gort_wg_add(&parked, N);
    gort_wg_add(&fin, N);
    for (int i = 0; i < N; i++) go(deep, NULL);
    gort_wg_wait(&parked);
    gort_stats s1 = stats_now();
    int64_t r1 = rss_effective_bytes();
    gort_wg_done(&gate);
    gort_wg_wait(&fin);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_sleep(MS(20));
    gort_stats s2 = stats_now();
    int64_t r2 = rss_effective_bytes();
    NOTE("committed stack: %lld -> %lld -> %lld KiB; RSS: %lld -> %lld -> %lld KiB\n",
         (long long)(s0.stack_committed_bytes >> 10), (long long)(s1.stack_committed_bytes >> 10),
         (long long)(s2.stack_committed_bytes >> 10), (long long)(r0 >> 10), (long long)(r1 >> 10),
         (long long)(r2 >> 10));
    int64_t grew_c = s1.stack_committed_bytes - s0.stack_committed_bytes;
    int64_t grew_r = r1 - r0;
    CHECK_MSG(grew_r >= (int64_t)N * 40 * 1024, "touching 48 KiB in each of %d stacks grew RSS by only %lld KiB",
              N, (long long)(grew_r >> 10));
    CHECK_MSG(grew_c >= (int64_t)N * 40 * 1024, "touching 48 KiB in each of %d stacks grew committed stack bytes by only %lld KiB",
              N, (long long)(grew_c >> 10));
    CHECK_MSG(s2.stack_committed_bytes - s0.stack_committed_bytes <= grew_c / 2,
              "committed stack bytes still %lld KiB above the start after the deep stacks ended",
              (long long)((s2.stack_committed_bytes - s0.stack_committed_bytes) >> 10));
    CHECK_MSG(r2 - r0 <= grew_r / 2, "RSS still %lld KiB above the start after the deep stacks ended",
              (long long)((r2 - r0) >> 10));
    return 0;
}

GORT_MAIN(main_fn)
