// Send and receive on a NULL channel block for ever: goroutines blocked in
// gort_chan_send(NULL) and gort_chan_recv(NULL) never return while main
// sleeps 100 ms; main then returns normally (exit 0) without waiting for them.
#include "check.h"

static _Atomic int started, returned;

static void nil_sender(void *arg)
{
    (void)arg;
    int64_t v = 1;
    atomic_fetch_add(&started, 1);
    gort_chan_send(NULL, &v);
    atomic_fetch_add(&returned, 1);
}

static void nil_receiver(void *arg)
{
    (void)arg;
    int64_t v = 0;
    atomic_fetch_add(&started, 1);
    gort_chan_recv(NULL, &v);
    atomic_fetch_add(&returned, 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < 3; i++) {
        go(nil_sender, NULL);
        go(nil_receiver, NULL);
    }
    for (int i = 0; i < 10; i++) {
        gort_sleep(MS(10));
        CHECK_MSG(atomic_load(&returned) == 0, "an operation on a NULL channel returned");
    }
    CHECK_EQ_INT(atomic_load(&started), 6);
    return 0;
}

GORT_MAIN(main_fn)
