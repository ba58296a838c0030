// A cond is used with one mutex (the one of its first wait): waiting on it
// with another mutex panics "sync.Cond is copied" (Go's copy check, whose
// nearest C mistake this is); unrecovered, that is Go's report, exit 2.
// Here a goroutine waits with m1 and is woken; then main waits with m2.
// gort-test: exit=2
// gort-test: stderr=^panic: sync\.Cond is copied
// gort-test: stderr=^goroutine 1 \[running(, [0-9]+ ms without yielding)?\]:
#include "check.h"

static gort_mutex m1, m2;
static gort_cond c;
static gort_chan *running;
static gort_waitgroup fin;

static void waiter(void *arg)
{
    (void)arg;
    gort_mutex_lock(&m1);
    gort_chan_send(running, NULL);
    gort_cond_wait(&c, &m1);
    gort_mutex_unlock(&m1);
    gort_wg_done(&fin);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    running = gort_chan_make(0, 0);
    gort_wg_add(&fin, 1);
    go(waiter, NULL);
    gort_chan_recv(running, NULL);
    gort_mutex_lock(&m1);
    gort_cond_signal(&c);
    gort_mutex_unlock(&m1);
    gort_wg_wait(&fin);

    gort_mutex_lock(&m2);
    gort_cond_wait(&c, &m2);
    check_fdprintf(2, "gort_cond_wait with a second mutex returned\n");
    return 0;
}

GORT_MAIN(main_fn)
