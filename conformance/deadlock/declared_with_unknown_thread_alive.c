// A thread that has never called into gort cannot wake a goroutine (it has
// nothing of gort's to call yet ... or is about to make its first call):
// when every goroutine is blocked while such a thread lives, the runtime
// waits a grace period (100 ms) for it to show itself, then looks again
// and declares the deadlock: `fatal error: all goroutines are asleep -
// deadlock!`, exit 2.  Here a pthread started before gort_main sleeps for
// ever with nanosleep (no gort call), and main blocks on a channel nobody
// sends on.  (Go's checkdead likewise ignores threads that run no Go code.)
// gort-test: exit=2
// gort-test: stderr=^fatal error: all goroutines are asleep - deadlock!$
// gort-test: timeout=30
#include "check.h"

#include <pthread.h>

static void *stranger(void *arg)
{
    (void)arg;
    for (;;) {
        struct timespec ts = { 1, 0 };
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_chan *c = gort_chan_make(sizeof(int), 0);
    int v;
    gort_chan_recv(c, &v);   /* nobody sends: deadlock */
    check_fdprintf(2, "the receive returned\n");
    return 0;
}

int main(int argc, char **argv)
{
    pthread_t th;
    CHECK_EQ_INT(pthread_create(&th, NULL, stranger, NULL), 0);
    return gort_main(main_fn, argc, argv);
}
