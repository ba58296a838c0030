// Closing a channel twice panics `close of closed channel`, exit 2.
// gort-test: exit=2
// gort-test: stderr=^panic: close of closed channel
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(int), 1);
    gort_chan_close(c);
    gort_chan_close(c);
    check_fdprintf(2, "second close returned\n");
    return 0;
}

GORT_MAIN(main_fn)
