// Stacks are recycled: 20 rounds of 1,000 concurrent goroutines (each round
// ending before the next starts) do not keep reserving new stack memory or
// new mappings after the first rounds.
#include "check.h"

#define ROUNDS 20
#define N 1000

static gort_waitgroup gate, parked, fin;

static void body(void *arg)
{
    (void)arg;
    volatile char buf[2048];
    buf[0] = 1;
    buf[2047] = buf[0];
    gort_wg_done(&parked);
    gort_wg_wait(&gate);
    gort_wg_done(&fin);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int64_t reserved_after2 = 0;
    long maps_after2 = 0;
    for (int r = 0; r < ROUNDS; r++) {
        gort_wg_add(&gate, 1);
        gort_wg_add(&parked, N);
        gort_wg_add(&fin, N);
        for (int i = 0; i < N; i++) go(body, NULL);
        gort_wg_wait(&parked);
        gort_wg_done(&gate);
        gort_wg_wait(&fin);
        CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
        if (r == 1) {
            reserved_after2 = stats_now().stack_reserved_bytes;
            maps_after2 = maps_count();
        }
    }
    int64_t reserved = stats_now().stack_reserved_bytes;
    long maps = maps_count();
    NOTE("stack reserved after round 2: %lld KiB, after round %d: %lld KiB; mappings %ld -> %ld\n",
         (long long)(reserved_after2 >> 10), ROUNDS, (long long)(reserved >> 10), maps_after2, maps);
    CHECK_MSG(reserved_after2 > 0, "no stack memory reserved after two rounds of %d goroutines (gort_stats counts "
              "nothing?)", N);
    CHECK_MSG(reserved <= 2 * reserved_after2, "stack reservations grew from %lld KiB to %lld KiB over %d identical rounds",
              (long long)(reserved_after2 >> 10), (long long)(reserved >> 10), ROUNDS);
    CHECK_MSG(maps <= maps_after2 + 16, "mappings grew from %ld to %ld over identical rounds", maps_after2, maps);
    return 0;
}

GORT_MAIN(main_fn)
