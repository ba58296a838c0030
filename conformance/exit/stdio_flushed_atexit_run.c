// Exiting from gort_main behaves like exit(): buffered stdio (stdout is a pipe
// or file here, so fully buffered) is flushed and atexit handlers run, while
// other goroutines are still alive.
// gort-test: exit=4
// gort-test: stdout=^buffered-no-newline-then-atexit-ran$
#include "check.h"

static void on_exit_handler(void) { printf("-then-atexit-ran\n"); }

static gort_waitgroup never;
static void blocked(void *arg) { (void)arg; gort_wg_wait(&never); }
static void busy(void *arg) { (void)arg; for (;;) gort_yield(); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(atexit(on_exit_handler), 0);
    gort_wg_add(&never, 1);
    go(blocked, NULL);
    go(busy, NULL);
    gort_yield();
    printf("buffered-no-newline");
    return 4;
}

GORT_MAIN(main_fn)
