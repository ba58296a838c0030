// Every goroutine blocked for ever (main waits on a WaitGroup nobody will
// Done, a worker waits on a Mutex main holds) with no timer and no plain
// thread that could wake one: Go's checkdead declares the deadlock at once,
// prints each goroutine's header, and exits 2.
// gort-test: exit=2
// gort-test: stderr=^fatal error: all goroutines are asleep - deadlock!$
// gort-test: stderr=^goroutine 1 \[sync\.WaitGroup\.Wait\]:$
// gort-test: stderr=^goroutine [0-9]+ \[sync\.Mutex\.Lock\]:$
// gort-test: stderr=created by .*waitgroup_never_done_fatal\.c:[0-9]+
// gort-test: timeout=10
#include "check.h"

static gort_waitgroup wg;
static gort_mutex mu;

static void worker(void *arg)
{
    (void)arg;
    gort_mutex_lock(&mu);   /* main holds it for ever */
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_mutex_lock(&mu);
    gort_wg_add(&wg, 1);
    go(worker, NULL);
    gort_wg_wait(&wg);
    check_fdprintf(2, "wait returned\n");
    return 0;
}

GORT_MAIN(main_fn)
