// A goroutine blocked on a Mutex parks, it does not block its thread: with
// GOMAXPROCS=1, main holds the mutex; 10 goroutines block in lock; another
// goroutine still runs, and when main unlocks, all 10 get the lock in turn.
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
    gort_sleep(MS(10));             /* all blocked in lock now */
    CHECK_EQ_INT(atomic_load(&got), 0);
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
