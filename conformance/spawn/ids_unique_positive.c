// Every id gort_go returns is > 0, unique, and never 1 (main's id).
#include "check.h"

#define N 10000

static gort_waitgroup wg;
static void noop(void *arg) { (void)arg; gort_wg_done(&wg); }

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    static uint64_t ids[N];
    gort_wg_add(&wg, N);
    for (int i = 0; i < N; i++) {
        ids[i] = go(noop, NULL);
        CHECK_MSG(ids[i] > 0, "go #%d returned id 0", i);
        CHECK_MSG(ids[i] != 1, "go #%d returned main's id 1", i);
    }
    gort_wg_wait(&wg);
    qsort(ids, N, sizeof ids[0], cmp_u64);
    for (int i = 1; i < N; i++)
        CHECK_MSG(ids[i] != ids[i - 1], "id %llu returned twice", (unsigned long long)ids[i]);
    return 0;
}

GORT_MAIN(main_fn)
