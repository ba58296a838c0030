// gort_sleep(1 ms) wakes no earlier than 1 ms (by gort_now and by
// CLOCK_MONOTONIC) and within 1 ms + scheduling noise: over 20 sleeps the
// median is under 5 ms and the worst under 100 ms (generous for a noisy
// 2-core machine).  Reports the numbers.
#include "check.h"

#define N 20

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int64_t d[N];
    for (int i = 0; i < N; i++) {
        int64_t g0 = gort_now(), c0 = now_ns();
        gort_sleep(MS(1));
        int64_t g1 = gort_now(), c1 = now_ns();
        CHECK_MSG(g1 - g0 >= MS(1), "sleep(1ms) woke after %lld ns by gort_now", (long long)(g1 - g0));
        CHECK_MSG(c1 - c0 >= MS(1) - US(1), "sleep(1ms) woke after %lld ns by CLOCK_MONOTONIC", (long long)(c1 - c0));
        d[i] = g1 - g0;
    }
    qsort(d, N, sizeof d[0], cmp_i64);
    NOTE("sleep(1ms): min %lld us, median %lld us, max %lld us\n", (long long)(d[0] / 1000),
         (long long)(d[N / 2] / 1000), (long long)(d[N - 1] / 1000));
    CHECK_MSG(d[N / 2] < MS(5), "median 1 ms sleep took %lld us", (long long)(d[N / 2] / 1000));
    CHECK_MSG(d[N - 1] < MS(100), "worst 1 ms sleep took %lld us", (long long)(d[N - 1] / 1000));
    return 0;
}

GORT_MAIN(main_fn)
