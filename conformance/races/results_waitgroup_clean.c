// Fan-out with a results slice, as in Go: each worker writes only its own
// slot results[i] and calls wg.Done(); main reads every slot after
// wg.Wait().  Distinct slots never conflict, and Done -> Wait is a
// happens-before edge, so ThreadSanitizer reports nothing.  Without the
// Wait: results_no_wait_reported.c.
// gort-test: env=GOMAXPROCS=2
#include "races/race_run.h"

#define N 8

static long results[N];
static gort_waitgroup wg;

static long square(long x) { return x * x; }

static void worker(void *arg)
{
    long i = (long)(intptr_t)arg;
    if (i % 2) gort_yield();
    results[i] = square(i + 1);
    gort_wg_done(&wg);
}

static int fixed(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, N);
    for (long i = 0; i < N; i++) go(worker, (void *)(intptr_t)i);
    gort_wg_wait(&wg);
    long sum = 0;
    for (int i = 0; i < N; i++) {   /* one element at a time, each read checked */
        printf("square(%d) = %ld\n", i + 1, results[i]);
        sum += results[i];
    }
    return sum == 204 ? 0 : 2;      /* 1 + 4 + ... + 64 */
}

int main(void)
{
    CHECK_MSG(!race_run(fixed), "a race was reported reading results after Wait:\n%s", race_stderr);
    CHECK_MSG(race_status == 0, "the program failed (status %d):\n%s", race_status, race_stderr);
    return 0;
}
