// A goroutine blocked on a Mutex parks, it does not block its thread: with
// GOMAXPROCS=1, main holds the mutex; 10 goroutines block in lock (gort_dump
// lists them as `[sync.Mutex.Lock]`, and the runtime has fewer threads than
// the 10 that blocking them would take: that another goroutine runs would
// not show it alone, as sysmon lends a P in place of a thread blocked in the
// kernel after ~3 ms); another goroutine still runs, and when main unlocks,
// all 10 get the lock in turn.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

#define N 10

static gort_mutex mu;
static gort_waitgroup fin;
static _Atomic int got, other_ran;

static void locker(void *arg) { (void)arg; gort_mutex_lock(&mu); atomic_fetch_add(&got, 1); gort_mutex_unlock(&mu); gort_wg_done(&fin); }
static void other(void *arg) { (void)arg; atomic_store(&other_ran, 1); gort_wg_done(&fin); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&fin, N + 1);
    gort_mutex_lock(&mu);
    for (int i = 0; i < N; i++) go(locker, NULL);
    /* Until all have run into the lock (under Valgrind 10 ms was not
     * always enough for them to start): each must show parked in it. */
    char *d = NULL;
    for (int64_t end = now_ns() + MS(10000);;) {
        gort_sleep(MS(10));
        free(d);
        d = dump_to_string();
        CHECK(d != NULL);
        if (count_substr(d, "[runnable]:") == 0 || now_ns() > end)
            break;
    }
    CHECK_EQ_INT(atomic_load(&got), 0);
    CHECK_MSG(count_substr(d, "[sync.Mutex.Lock]:") == N, "want %d goroutines parked in [sync.Mutex.Lock]:\n%.1500s",
              N, d);
    free(d);
    gort_stats s = stats_now();
    NOTE("%lld threads with %d goroutines blocked in lock\n", (long long)s.threads, N);
    CHECK_MSG(s.threads < N, "%lld threads for %d blocked goroutines at GOMAXPROCS=1", (long long)s.threads, N);
    go(other, NULL);
    gort_sleep(MS(10));
    CHECK_EQ_INT(atomic_load(&other_ran), 1);
    CHECK_EQ_INT(atomic_load(&got), 0);
    gort_mutex_unlock(&mu);
    gort_wg_wait(&fin);
    CHECK_EQ_INT(atomic_load(&got), N);
    return 0;
}

GORT_MAIN(main_fn)
