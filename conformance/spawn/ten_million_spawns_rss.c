// 10,000,000 short-lived goroutines spawned in batches (spawn 10,000, wait for
// them) run in bounded memory: after a warm-up of 1,000,000 the RSS never
// grows beyond the warmed-up level + 64 MiB (stacks and descriptors recycled).
// gort-test: labels=stress
// gort-test: timeout=120
#include "check.h"

#define TOTAL 10000000
#define BATCH 10000
#define WARMUP 1000000

static gort_waitgroup wg;
static _Atomic long ran;

static void body(void *arg)
{
    (void)arg;
    volatile char touch[512];            /* use a little stack */
    touch[0] = 1;
    touch[511] = touch[0];
    atomic_fetch_add_explicit(&ran, 1, memory_order_relaxed);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_SANITIZERS();
    SKIP_UNDER_VALGRIND("ten million spawns and an RSS bound (Valgrind shadows every page)");
    int64_t steady = -1, peak = 0;
    int64_t t0 = now_ns();
    for (long done = 0; done < TOTAL; done += BATCH) {
        gort_wg_add(&wg, BATCH);
        for (int i = 0; i < BATCH; i++) go(body, NULL);
        gort_wg_wait(&wg);
        if (done + BATCH == WARMUP) steady = rss_bytes();
        if (done + BATCH > WARMUP && (done / BATCH) % 10 == 0) {
            int64_t r = rss_bytes();
            if (r > peak) peak = r;
            CHECK_MSG(r <= steady + (64ll << 20), "RSS grew from %lld MiB (after warm-up) to %lld MiB after %ld spawns",
                      (long long)(steady >> 20), (long long)(r >> 20), done + BATCH);
        }
    }
    CHECK_EQ_INT(atomic_load(&ran), TOTAL);
    gort_stats st = stats_now();
    CHECK_MSG(st.spawned >= TOTAL, "stats.spawned %lld < %d", (long long)st.spawned, TOTAL);
    NOTE("10M spawns: %lld ms, steady RSS %lld MiB, peak %lld MiB\n", (long long)((now_ns() - t0) / 1000000),
         (long long)(steady >> 20), (long long)(peak >> 20));
    return 0;
}

GORT_MAIN(main_fn)
