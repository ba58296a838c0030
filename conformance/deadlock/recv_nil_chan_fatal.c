// Main blocked for ever receiving from a NULL channel, with nothing else
// alive: deadlock, reported with Go's wait reason for a nil channel, exit 2.
// gort-test: exit=2
// gort-test: stderr=^fatal error: all goroutines are asleep - deadlock!$
// gort-test: stderr=^goroutine 1 \[chan receive \(nil chan\)\]:$
// gort-test: timeout=10
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int v;
    gort_chan_recv(NULL, &v);
    check_fdprintf(2, "receive from nil returned\n");
    return 0;
}

GORT_MAIN(main_fn)
