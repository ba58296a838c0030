// A runtime entered with gort_run (no gort_main) never declares a deadlock:
// it cannot know what plain threads will still do.  A goroutine blocks on a
// WaitGroup with nothing else running; 300 ms later the plain main thread
// releases it and gort_run returns.
// gort-test: stdout=^released$
#include "check.h"

#include <time.h>

static gort_waitgroup gate, started;

static void blocked(void *arg)
{
    (void)arg;
    gort_wg_done(&started);
    gort_wg_wait(&gate);
}

static void run_blocked(void *arg)
{
    (void)arg;
    go(blocked, NULL);
}

int main(void)
{
    gort_wg_add(&gate, 1);
    gort_wg_add(&started, 1);
    gort_run(run_blocked, NULL);
    gort_wg_wait(&started);
    struct timespec ts = { 0, 300 * 1000000L };
    nanosleep(&ts, NULL);
    CHECK_EQ_INT(gort_num_goroutine(), 1);
    gort_wg_done(&gate);
    CHECK_EQ_INT(gort_leakcheck(MS(2000)), 0);
    printf("released\n");
    return 0;
}
