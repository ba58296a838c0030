// Goroutine ids are never reused in a process: ids handed out after earlier
// goroutines have ended (and their descriptors were recycled) are all new.
#include "check.h"

#define ROUNDS 50
#define PER_ROUND 200
#define TOTAL (ROUNDS * PER_ROUND)

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
    static uint64_t ids[TOTAL];
    int k = 0;
    for (int r = 0; r < ROUNDS; r++) {
        gort_wg_add(&wg, PER_ROUND);
        for (int i = 0; i < PER_ROUND; i++) ids[k++] = go(noop, NULL);
        gort_wg_wait(&wg);
        /* let them really end so their descriptors go back to the caches */
        CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    }
    qsort(ids, TOTAL, sizeof ids[0], cmp_u64);
    for (int i = 0; i < TOTAL; i++) {
        CHECK(ids[i] > 1);
        if (i) CHECK_MSG(ids[i] != ids[i - 1], "id %llu reused", (unsigned long long)ids[i]);
    }
    return 0;
}

GORT_MAIN(main_fn)
