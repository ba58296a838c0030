// gort_chan_try_send on a closed channel panics too (Go's select with a
// default case does), it does not return false: `send on closed channel`,
// exit 2.  The channel is unbuffered, where "would block" might be tempting.
// gort-test: exit=2
// gort-test: stderr=^panic: send on closed channel
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(int64_t), 0);
    gort_chan_close(c);
    int64_t v = 1;
    bool r = gort_chan_try_send(c, &v);
    check_fdprintf(2, "try_send on a closed channel returned %d\n", (int)r);
    return 0;
}

GORT_MAIN(main_fn)
