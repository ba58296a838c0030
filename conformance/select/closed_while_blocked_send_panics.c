// A select blocked with a send case on a channel that gets closed wakes and
// panics `send on closed channel` (Go's rule), even though its other case
// could still become ready; unrecovered: exit 2.
// gort-test: exit=2
// gort-test: stderr=^panic: send on closed channel
#include "check.h"

static gort_chan *a, *b;
static _Atomic int entered;

static void selecter(void *arg)
{
    (void)arg;
    int64_t s = 1, r = -1;
    gort_case cs[2] = {{GORT_RECV, b, &r, false}, {GORT_SEND, a, &s, false}};
    atomic_store(&entered, 1);
    int idx = gort_select(cs, 2, true);
    check_fdprintf(2, "select returned %d after close\n", idx);
    _exit(1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    a = gort_chan_make(sizeof(int64_t), 0);
    b = gort_chan_make(sizeof(int64_t), 0);
    go(selecter, NULL);
    gort_sleep(MS(50));
    CHECK_EQ_INT(atomic_load(&entered), 1);
    gort_chan_close(a);
    gort_sleep(MS(2000));
    check_fdprintf(2, "the blocked select did not panic\n");
    return 0;
}

GORT_MAIN(main_fn)
