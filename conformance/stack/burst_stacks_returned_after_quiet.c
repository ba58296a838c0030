// Freed stacks are kept for reuse while goroutines keep being spawned, and
// given back once that stops: 50,000 goroutines park (one page of stack
// each, ~200 MiB committed), then all end.  Spawning the same number again
// at once reuses those stacks (committed stack bytes do not grow again).
// Then, with the program nearly quiet for a few seconds, the stacks nobody
// reused for a second are given back: committed stack bytes fall to within
// the always-kept reserve (4096 stacks of at most 16 KiB) of the start.
// gort-test: timeout=60
#include "check.h"

#define N 50000
#define KEEP_BYTES ((int64_t)4096 * 16 * 1024)

static gort_waitgroup gate, parked, fin;

static void park_once(void *arg)
{
    (void)arg;
    gort_wg_done(&parked);
    gort_wg_wait(&gate);
    gort_wg_done(&fin);
}

static void burst(void)
{
    gort_wg_add(&gate, 1);
    gort_wg_add(&parked, N);
    gort_wg_add(&fin, N);
    for (int i = 0; i < N; i++) go(park_once, NULL);
    gort_wg_wait(&parked);
}

static void end_burst(void)
{
    gort_wg_done(&gate);
    gort_wg_wait(&fin);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(10000)), 1);
}

static void nothing(void *wg) { gort_wg_done(wg); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_TSAN(TSAN_MANY_GOROUTINES);
    SKIP_UNDER_VALGRIND("50,000 stacks and their committed bytes under Valgrind's shadow memory");
    gort_stats s0 = stats_now();
    burst();
    gort_stats s1 = stats_now();
    int64_t grew = s1.stack_committed_bytes - s0.stack_committed_bytes;
    CHECK_MSG(grew >= (int64_t)N * 4096, "%d parked goroutines committed only %lld KiB of stack",
              N, (long long)(grew >> 10));
    end_burst();

    /* The same burst again, at once: the stacks come from the kept ones. */
    burst();
    gort_stats s2 = stats_now();
    CHECK_MSG(s2.stack_committed_bytes <= s1.stack_committed_bytes + grew / 10,
              "the second burst committed %lld KiB more stack than the first (stacks not reused)",
              (long long)((s2.stack_committed_bytes - s1.stack_committed_bytes) >> 10));
    end_burst();

    /* Quiet spells of over a second, each followed by a little work (Ms go
     * idle and look): stacks unused through a whole second are given back. */
    gort_waitgroup wg = {0};
    for (int spell = 0; spell < 3; spell++) {
        gort_sleep(MS(1100));
        for (int round = 0; round < 20; round++) {
            gort_wg_add(&wg, 100);
            for (int i = 0; i < 100; i++) go(nothing, &wg);
            gort_wg_wait(&wg);
        }
    }
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_stats s3 = stats_now();
    NOTE("committed stack: start %lld KiB, burst %lld KiB, second burst %lld KiB, after quiet %lld KiB\n",
         (long long)(s0.stack_committed_bytes >> 10), (long long)(s1.stack_committed_bytes >> 10),
         (long long)(s2.stack_committed_bytes >> 10), (long long)(s3.stack_committed_bytes >> 10));
    CHECK_MSG(s3.stack_committed_bytes - s0.stack_committed_bytes <= KEEP_BYTES,
              "committed stack still %lld KiB above the start after a quiet second",
              (long long)((s3.stack_committed_bytes - s0.stack_committed_bytes) >> 10));
    return 0;
}

GORT_MAIN(main_fn)
