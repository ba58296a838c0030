// 1,000,000 goroutines alive at once, parked on a WaitGroup: all counted by
// gort_num_goroutine, lazily committed stacks keep them cheap (checked per
// chunk of 100,000 so a runtime that commits whole stacks fails before the
// machine runs out of memory), then all are released and all end.
// gort-test: labels=stress
// gort-test: serial
// gort-test: timeout=120
#include "check.h"

#define N 1000000
#define CHUNK 100000
/* The target is <= 4.5 KB per parked goroutine; allow debug builds slack. */
#define MAX_BYTES_PER_G (12 * 1024)

static gort_waitgroup gate, started, finished;
static _Atomic int ran;

static void body(void *arg)
{
    (void)arg;
    atomic_fetch_add_explicit(&ran, 1, memory_order_relaxed);
    gort_wg_done(&started);
    gort_wg_wait(&gate);
    gort_wg_done(&finished);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_SANITIZERS();
    SKIP_UNDER_VALGRIND("a million goroutines and a memory-size bound (Valgrind shadows every page)");
    gort_wg_add(&gate, 1);
    gort_wg_add(&started, N);
    gort_wg_add(&finished, N);
    int64_t rss0 = rss_bytes();
    int64_t t0 = now_ns();
    for (int c = 0; c < N / CHUNK; c++) {
        for (int i = 0; i < CHUNK; i++) go(body, NULL);
        CHECK_EQ_INT(gort_num_goroutine(), (c + 1) * CHUNK + 1);
        /* let this chunk run and park before measuring */
        int64_t end = now_ns() + MS(30000);
        while (atomic_load(&ran) < (c + 1) * CHUNK && now_ns() < end) gort_sleep(MS(1));
        CHECK_EQ_INT(atomic_load(&ran), (c + 1) * CHUNK);
        int64_t per = (rss_bytes() - rss0) / ((int64_t)(c + 1) * CHUNK);
        CHECK_MSG(per <= MAX_BYTES_PER_G, "%lld bytes of RSS per parked goroutine after %d",
                  (long long)per, (c + 1) * CHUNK);
    }
    gort_wg_wait(&started);
    CHECK_EQ_INT(gort_num_goroutine(), N + 1);
    gort_stats st = stats_now();
    CHECK_EQ_INT(st.goroutines, N + 1);
    NOTE("1M parked: %.0f bytes RSS each, %lld ms to spawn and park, %ld mappings\n",
         (double)(rss_bytes() - rss0) / N, (long long)((now_ns() - t0) / 1000000), maps_count());
    gort_wg_done(&gate);
    gort_wg_wait(&finished);
    int left = wait_num_goroutine_at_most(1, MS(30000));
    CHECK_MSG(left == 1, "%d goroutines still counted after all were released", left);
    return 0;
}

GORT_MAIN(main_fn)
