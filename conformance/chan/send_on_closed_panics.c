// gort_chan_send on a closed channel panics `send on closed channel`
// (unrecovered: exit 2 with the goroutine header).
// gort-test: exit=2
// gort-test: stderr=^panic: send on closed channel
// gort-test: stderr=goroutine [0-9]+ \[running(, [0-9]+ ms without yielding)?\]
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(int64_t), 4);
    gort_chan_close(c);
    int64_t v = 1;
    gort_chan_send(c, &v);
    check_fdprintf(2, "send on a closed channel returned\n");
    return 0;
}

GORT_MAIN(main_fn)
