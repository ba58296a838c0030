// A sender blocked on an unbuffered channel when the channel is closed wakes
// and panics `send on closed channel`; unrecovered, the process exits 2
// (main is still sleeping then and would have exited 0).
// gort-test: exit=2
// gort-test: stderr=^panic: send on closed channel
// gort-test: stderr=goroutine [0-9]+ \[running(, [0-9]+ ms without yielding)?\]
#include "check.h"

static gort_chan *c;
static _Atomic int entered;

static void sender(void *arg)
{
    (void)arg;
    int64_t v = 1;
    atomic_store(&entered, 1);
    gort_chan_send(c, &v);
    check_fdprintf(2, "blocked send returned after close\n");
    _exit(1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    c = gort_chan_make(sizeof(int64_t), 0);
    go(sender, NULL);
    gort_sleep(MS(50));
    CHECK_EQ_INT(atomic_load(&entered), 1);
    gort_chan_close(c);
    gort_sleep(MS(2000));
    check_fdprintf(2, "the blocked sender did not panic\n");
    return 0;
}

GORT_MAIN(main_fn)
