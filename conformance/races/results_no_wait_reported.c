// The fan-out of results_waitgroup_clean.c with the classic mistake: main
// "waits" for the workers with a sleep instead of wg.Wait() and then reads
// results[].  Even when the sleep is long enough for the values to be there,
// a sleep orders nothing: the workers' writes and main's reads have no
// happens-before edge, and the ThreadSanitizer build reports the race with
// the worker's write and main's read.  (Go's race detector says the same of
// time.Sleep.)
#include "races/race_run.h"

#define N 4

static long results[N];

static long square(long x) { return x * x; }

static void worker(void *arg)
{
    long i = (long)(intptr_t)arg;
    results[i] = square(i + 1);     /* no Done, nothing main could wait on */
}

static int racy(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (long i = 0; i < N; i++) go(worker, (void *)(intptr_t)i);
    gort_sleep(MS(50));             /* BUG: "surely they are done by now" */
    /* one element at a time, as a program reporting them would: a loop
     * summing the array is vectorised by clang -O2 into one 32-byte load,
     * an access size TSan does not instrument */
    for (int i = 0; i < N; i++) printf("square(%d) = %ld\n", i + 1, results[i]);
    return 0;
}

int main(void)
{
    CHECK_MSG(race_run(racy), "reading results after a sleep was not reported; stderr:\n%s", race_stderr);
    CHECK_MSG(race_status == RACE_REPORTED_STATUS, "the racy program ended with status %d, not TSan's %d "
              "after a report:\n%s", race_status, RACE_REPORTED_STATUS, race_stderr);
    CHECK_MSG(strstr(race_stderr, "Previous write") || strstr(race_stderr, "Previous read"),
              "the report lacks the other goroutine's access:\n%s", race_stderr);
    CHECK_STR_CONTAINS(race_stderr, "results_no_wait_reported.c");
    CHECK_STR_CONTAINS(race_stderr, "worker");
    return 0;
}
