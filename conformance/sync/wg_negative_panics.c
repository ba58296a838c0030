// Taking a WaitGroup's counter below zero panics with Go's message; unrecovered
// that is `panic: sync: negative WaitGroup counter` plus the goroutine's
// header, exit 2.
// gort-test: exit=2
// gort-test: stderr=panic: sync: negative WaitGroup counter
// gort-test: stderr=goroutine [0-9]+ \[running(, [0-9]+ ms without yielding)?\]
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_waitgroup wg = {0};
    gort_wg_add(&wg, 1);
    gort_wg_done(&wg);
    gort_wg_done(&wg);
    check_fdprintf(2, "negative counter did not panic\n");
    return 0;
}

GORT_MAIN(main_fn)
