// 1,000,000 live goroutines (parked) do not run into vm.max_map_count: the
// process stays far below 65,530 mappings (< 1,000 lines in /proc/self/maps),
// because stacks are carved out of large arenas with guards that do not
// split them.
// gort-test: labels=stress
// gort-test: serial
// gort-test: timeout=120
#include "check.h"

#define N 1000000
#define CHUNK 100000
#define MAX_BYTES_PER_G (12 * 1024)

static gort_waitgroup gate, started, finished;

static void body(void *arg)
{
    (void)arg;
    gort_wg_done(&started);
    gort_wg_wait(&gate);
    gort_wg_done(&finished);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_SANITIZERS();
    SKIP_UNDER_VALGRIND("a million goroutines: far too slow under Valgrind (its leak check at exit alone reads every stack)");
    gort_wg_add(&gate, 1);
    gort_wg_add(&started, N);
    gort_wg_add(&finished, N);
    int64_t rss0 = rss_bytes();
    long maxmaps = 0;
    for (int c = 0; c < N / CHUNK; c++) {
        for (int i = 0; i < CHUNK; i++) go(body, NULL);
        gort_sleep(MS(10));
        long m = maps_count();
        if (m > maxmaps) maxmaps = m;
        CHECK_MSG(m < 1000, "%ld mappings with %d goroutines", m, (c + 1) * CHUNK);
        int64_t per = (rss_bytes() - rss0) / ((int64_t)(c + 1) * CHUNK);
        CHECK_MSG(per <= MAX_BYTES_PER_G, "%lld bytes of RSS per goroutine: stopping before memory runs out", (long long)per);
    }
    gort_wg_wait(&started);
    long m = maps_count();
    if (m > maxmaps) maxmaps = m;
    CHECK_MSG(m < 1000, "%ld mappings with 1,000,000 parked goroutines", m);
    CHECK_EQ_INT(gort_num_goroutine(), N + 1);
    NOTE("1M parked goroutines: at most %ld mappings\n", maxmaps);
    gort_wg_done(&gate);
    gort_wg_wait(&finished);
    return 0;
}

GORT_MAIN(main_fn)
