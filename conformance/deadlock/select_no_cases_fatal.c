// Main blocked in a select with no cases (Go's `select {}`), with nothing
// else alive: deadlock, reported with the wait reason `select (no cases)`,
// exit 2.
// gort-test: exit=2
// gort-test: stderr=^fatal error: all goroutines are asleep - deadlock!$
// gort-test: stderr=^goroutine 1 \[select \(no cases\)\]:$
// gort-test: timeout=10
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_select(NULL, 0, true);
    check_fdprintf(2, "empty select returned\n");
    return 0;
}

GORT_MAIN(main_fn)
