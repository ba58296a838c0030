// With GOMAXPROCS=2 two CPU-bound goroutines really run in parallel: each
// spins without ever yielding and waits until it has seen the other's counter
// move 100 times.  Run one at a time, the first would spin for ever (fails
// after a generous 15 s).  Asynchronous preemption is off: with it, two
// goroutines taking turns on one P every 10 ms time slice would also see
// each other move 100 times (in about 2 s), parallel or not.  Needs 2 CPUs
// (skipped on one) and runs alone, so that the OS can give both threads a
// CPU at once.
// gort-test: env=GOMAXPROCS=2
// gort-test: env=GORT_ASYNCPREEMPT=0
// gort-test: serial
#include "check.h"

#define NEED 100

static _Atomic long counter[2];
static _Atomic int satisfied[2];
static gort_waitgroup wg;

static void spinner(void *arg)
{
    int me = (int)(intptr_t)arg, other = 1 - me;
    long last = atomic_load(&counter[other]);
    int seen = 0;
    int64_t deadline = now_ns() + MS(15000);
    while (!(atomic_load(&satisfied[0]) && atomic_load(&satisfied[1]))) {
        atomic_fetch_add(&counter[me], 1);
        long c = atomic_load(&counter[other]);
        if (c != last) {
            last = c;
            if (++seen == NEED) atomic_store(&satisfied[me], 1);
        }
        if (now_ns() > deadline)
            FAIL("goroutine %d saw the other advance only %d times in 15 s: not running in parallel", me, seen);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    if (gort_num_cpu() < 2) SKIP("needs 2 CPUs, have %d", gort_num_cpu());
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    gort_wg_add(&wg, 2);
    go(spinner, (void *)0);
    go(spinner, (void *)1);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
