// A panic in the main goroutine that one of main's deferred calls recovers:
// main ends normally, so the process exits with status 0 (not main's return
// value, which is never reached, and not 2) — even though other goroutines
// are still running and parked.  The deferred calls registered before the
// recovering one still run, LIFO, after it; the code after gort_panic does
// not run; stdio is flushed and atexit handlers run as at a normal exit
// (the output goes through buffered stdio on purpose).
// gort-test: exit=0
// gort-test: stdout=^last-deferred recovered=main boom 3 first-deferred atexit$
#include "check.h"

static gort_waitgroup never;
static void parked(void *arg) { (void)arg; gort_wg_wait(&never); }
static void busy(void *arg) { (void)arg; for (;;) { spin_ns(US(10)); gort_yield(); } }

static void on_exit_handler(void) { printf(" atexit\n"); }

static void d_first(void *arg) { (void)arg; printf(" first-deferred"); }
static void d_recover(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    printf(" recovered=%s", m ? m : "(null)");
}
static void d_last(void *arg) { (void)arg; printf("last-deferred"); }

static volatile int never_true;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(atexit(on_exit_handler), 0);
    gort_wg_add(&never, 1);
    go(parked, NULL);
    go(busy, NULL);
    gort_defer(d_first, NULL);
    gort_defer(d_recover, NULL);
    gort_defer(d_last, NULL);
    gort_yield();
    if (!never_true) gort_panic("main boom %d", 3);
    printf(" after-panic");
    return 5;
}

GORT_MAIN(main_fn)
