// fn given to gort_wg_go must not call gort_wg_done itself (gort_wg_go does
// that): its own done brings the counter to 0, the one gort_wg_go makes
// after fn takes it below zero, which panics `sync: negative WaitGroup
// counter` in fn's goroutine; unrecovered, exit 2.
// gort-test: exit=2
// gort-test: stderr=^panic: sync: negative WaitGroup counter
// gort-test: stderr=^goroutine [0-9]+ \[running(, [0-9]+ ms without yielding)?\]:
#include "check.h"

static gort_waitgroup wg;

static void fn(void *arg) { (void)arg; gort_wg_done(&wg); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_go(&wg, fn, NULL);
    gort_sleep(MS(10000));
    check_fdprintf(2, "no panic 10 s after fn called gort_wg_done itself\n");
    return 0;
}

GORT_MAIN(main_fn)
