// After gort_exit from main the program keeps running while goroutines are
// alive: a worker sleeping 300 ms in steps, spawning more goroutines and
// waiting on them, completes all of it before the deadlock error ends the
// process (exit 2).  The worker reports progress on stdout.
// gort-test: exit=2
// gort-test: stdout=^step 9 children 5$
// gort-test: stderr=no goroutines \(main called runtime\.Goexit\) - deadlock!
#include "check.h"

static gort_waitgroup cwg;
static _Atomic int children;

static void child(void *arg) { (void)arg; gort_sleep(MS(2)); atomic_fetch_add(&children, 1); gort_wg_done(&cwg); }

static void worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 10; i++) {
        gort_sleep(MS(30));
        if (i == 5) {
            gort_wg_add(&cwg, 5);
            for (int k = 0; k < 5; k++) go(child, NULL);
            gort_wg_wait(&cwg);
        }
        check_fdprintf(1, "step %d children %d\n", i, atomic_load(&children));
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    go(worker, NULL);
    gort_sleep(MS(1));
    gort_exit();
}

GORT_MAIN(main_fn)
