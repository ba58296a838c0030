// Two goroutines increment a shared counter without synchronisation: the
// ThreadSanitizer build reports the data race, even with GOMAXPROCS=1
// where the goroutines take turns on one thread (each goroutine is its own
// TSan fiber).  The same program with a Mutex is reported clean
// (counter_mutex_clean.c).
// gort-test: env=GOMAXPROCS=1
#include "races/race_run.h"

static long counter;
static gort_waitgroup wg;

static void inc(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        counter++;
        if (i % 100 == 0) gort_yield();
    }
    gort_wg_done(&wg);
}

static int racy(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 2);
    go(inc, NULL);
    go(inc, NULL);
    gort_wg_wait(&wg);
    return 0;
}

int main(void)
{
    CHECK_MSG(race_run(racy), "the unsynchronised counter was not reported; stderr:\n%s", race_stderr);
    CHECK_MSG(race_status == RACE_REPORTED_STATUS, "the racy program ended with status %d, not TSan's %d "
              "after a report:\n%s", race_status, RACE_REPORTED_STATUS, race_stderr);
    CHECK_STR_CONTAINS(race_stderr, "counter_unsynchronised_reported.c");
    return 0;
}
