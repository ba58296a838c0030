// Stacks smaller than a page are packed several to a page: 10,000 parked
// goroutines with opts.stack_size = 2048 cost well under a page each, both in
// gort_stats.stack_committed_bytes and in resident memory.
#include "check.h"

#define N 10000

static gort_waitgroup gate, parked, fin;

static void tiny(void *arg)
{
    (void)arg;
    gort_wg_done(&parked);
    gort_wg_wait(&gate);
    gort_wg_done(&fin);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_SANITIZERS();
    gort_go_opts o = { .stack_size = 2048, .name = NULL };
    /* warm up: start the runtime's threads and caches */
    gort_wg_add(&gate, 1);
    gort_wg_add(&parked, 100);
    gort_wg_add(&fin, 100);
    for (int i = 0; i < 100; i++) gort_go_at(tiny, NULL, &o, __FILE__, __LINE__);
    gort_wg_wait(&parked);
    gort_wg_done(&gate);
    gort_wg_wait(&fin);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);

    gort_stats s0 = stats_now();
    int64_t rss0 = rss_bytes();
    gort_wg_add(&gate, 1);
    gort_wg_add(&parked, N);
    gort_wg_add(&fin, N);
    for (int i = 0; i < N; i++) gort_go_at(tiny, NULL, &o, __FILE__, __LINE__);
    gort_wg_wait(&parked);
    gort_sleep(MS(5));
    gort_stats s1 = stats_now();
    int64_t rss1 = rss_bytes();
    int64_t per_commit = (s1.stack_committed_bytes - s0.stack_committed_bytes) / N;
    int64_t per_rss = (rss1 - rss0) / N;
    NOTE("2 KiB stacks: %lld committed stack bytes and %lld RSS bytes per parked goroutine\n",
         (long long)per_commit, (long long)per_rss);
    CHECK_MSG(per_commit > 0, "10,000 parked goroutines committed no stack bytes (gort_stats counts nothing?)");
    CHECK_MSG(per_commit < 4096, "%lld committed stack bytes per 2 KiB-stack goroutine", (long long)per_commit);
    CHECK_MSG(per_rss < 4096, "%lld bytes of RSS per 2 KiB-stack goroutine", (long long)per_rss);
    gort_wg_done(&gate);
    gort_wg_wait(&fin);
    return 0;
}

GORT_MAIN(main_fn)
