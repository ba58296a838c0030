// Stacks are recycled: 20 rounds of 1,000 concurrent goroutines (each round
// ending before the next starts) do not keep reserving new stack memory or
// new mappings after the first rounds.  A thread the runtime starts in a
// later round (an M, when the machine is loaded) brings mappings of its own
// (2 with glibc, ~9 under TSan): those are allowed for, at the cost of a
// thread measured here with plain pthreads, and the count is printed.
#include "check.h"

#include <pthread.h>

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

static pthread_barrier_t started, release;

static void *idle_thread(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&started);
    pthread_barrier_wait(&release);
    return NULL;
}

/* The mappings one more live thread adds here (rounded up). */
static long mappings_per_thread(void)
{
    enum { T = 4 };
    pthread_t t[T];
    CHECK_EQ_INT(pthread_barrier_init(&started, NULL, T + 1), 0);
    CHECK_EQ_INT(pthread_barrier_init(&release, NULL, T + 1), 0);
    long before = maps_count();
    for (int i = 0; i < T; i++) CHECK_EQ_INT(pthread_create(&t[i], NULL, idle_thread, NULL), 0);
    pthread_barrier_wait(&started);
    long with = maps_count();
    pthread_barrier_wait(&release);
    for (int i = 0; i < T; i++) CHECK_EQ_INT(pthread_join(t[i], NULL), 0);
    pthread_barrier_destroy(&started);
    pthread_barrier_destroy(&release);
    return with > before ? (with - before + T - 1) / T : 0;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    long per_thread = mappings_per_thread();
    int64_t reserved_after2 = 0, threads_after2 = 0;
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
            threads_after2 = stats_now().threads;
            maps_after2 = maps_count();
        }
    }
    int64_t reserved = stats_now().stack_reserved_bytes;
    long maps = maps_count();
    int64_t new_threads = stats_now().threads - threads_after2;
    if (new_threads < 0)
        new_threads = 0;
    NOTE("stack reserved after round 2: %lld KiB, after round %d: %lld KiB; mappings %ld -> %ld; "
         "runtime threads started since round 2: %lld (%ld mappings each)\n",
         (long long)(reserved_after2 >> 10), ROUNDS, (long long)(reserved >> 10), maps_after2, maps,
         (long long)new_threads, per_thread);
    CHECK_MSG(reserved_after2 > 0, "no stack memory reserved after two rounds of %d goroutines (gort_stats counts "
              "nothing?)", N);
    CHECK_MSG(reserved <= 2 * reserved_after2, "stack reservations grew from %lld KiB to %lld KiB over %d identical rounds",
              (long long)(reserved_after2 >> 10), (long long)(reserved >> 10), ROUNDS);
    long allowed = 16 + (long)new_threads * per_thread;
    CHECK_MSG(maps <= maps_after2 + allowed, "mappings grew from %ld to %ld over identical rounds (allowed: 16, "
              "plus %ld for each of the %lld threads the runtime started meanwhile)", maps_after2, maps,
              per_thread, (long long)new_threads);
    return 0;
}

GORT_MAIN(main_fn)
