// The counter of counter_unsynchronised_reported.c guarded by a gort_mutex,
// with a WaitGroup before main reads it: ThreadSanitizer reports nothing
// (unlock -> lock and Done -> Wait are happens-before edges).
// gort-test: env=GOMAXPROCS=2
#include "races/race_run.h"

static long counter;
static gort_waitgroup wg;
static gort_mutex mu;

static void inc(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        gort_mutex_lock(&mu);
        counter++;
        gort_mutex_unlock(&mu);
        if (i % 100 == 0) gort_yield();
    }
    gort_wg_done(&wg);
}

static int fixed(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 2);
    go(inc, NULL);
    go(inc, NULL);
    gort_wg_wait(&wg);
    return counter == 2000 ? 0 : 1;
}

int main(void)
{
    CHECK_MSG(!race_run(fixed), "a race was reported in the Mutex-guarded program:\n%s", race_stderr);
    CHECK_MSG(race_status == 0, "the program failed (status %d):\n%s", race_status, race_stderr);
    return 0;
}
