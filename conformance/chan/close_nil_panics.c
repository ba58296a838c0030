// gort_chan_close(NULL) panics `close of nil channel`, exit 2.
// gort-test: exit=2
// gort-test: stderr=^panic: close of nil channel
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan_close(NULL);
    check_fdprintf(2, "close of NULL returned\n");
    return 0;
}

GORT_MAIN(main_fn)
