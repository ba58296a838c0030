// Main blocked on an unbuffered send that no goroutine will ever receive
// (a worker that could have received is itself blocked for ever on another
// channel): all goroutines are asleep, so the runtime prints Go's message
// with each goroutine's header and exits 2.
// gort-test: exit=2
// gort-test: stderr=^fatal error: all goroutines are asleep - deadlock!$
// gort-test: stderr=^goroutine 1 \[chan send\]:$
// gort-test: stderr=^goroutine [0-9]+ \[chan receive\]:$
// gort-test: timeout=10
#include "check.h"

static void other_waiter(void *arg)
{
    gort_chan_recv((gort_chan *)arg, NULL);     /* nobody sends here either */
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(int), 0);
    gort_chan *other = gort_chan_make(0, 0);
    go(other_waiter, other);
    int v = 1;
    gort_chan_send(c, &v);
    check_fdprintf(2, "send returned\n");
    return 0;
}

GORT_MAIN(main_fn)
