// When a goroutine's thread blocks in the kernel without
// gort_syscall_enter, sysmon lends one more P (sched.lent 1, two Ps may run
// at GOMAXPROCS=1) and takes it back once the thread runs again: after the
// call, sched.lent returns to 0 and the Ps that may run to 1, and a later
// gort_gomaxprocs(1) (which adds the loans still out) keeps it at 1.
// White-box: sched.lent and sched.gomaxprocs.
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=60
#include "export_test.h"

static int p[2];
static _Atomic int lent_seen;

static void writer(void *arg)
{
    (void)arg;
    /* runs only on the lent P: the only other one is blocked in read() */
    atomic_store(&lent_seen, (int)ld_acq(&sched.lent));
    gort_sleep(MS(50));
    CHECK_EQ_INT(write(p[1], "x", 1), 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(pipe(p), 0);
    go(writer, NULL);
    char c = 0;
    CHECK_EQ_INT(read(p[0], &c, 1), 1);   /* blocks this thread, unbracketed */
    CHECK_EQ_INT(atomic_load(&lent_seen), 1);
    int64_t end = now_ns() + MS(10000);
    while (ld_acq(&sched.lent) != 0 || ld_acq(&sched.gomaxprocs) != 1) {
        CHECK_MSG(now_ns() < end, "10 s after the call: %d P(s) lent, %d may run", (int)ld_acq(&sched.lent),
                  (int)ld_acq(&sched.gomaxprocs));
        gort_sleep(MS(10));
    }
    gort_gomaxprocs(1);
    CHECK_EQ_INT(ld_acq(&sched.gomaxprocs), 1);
    CHECK_EQ_INT(ld_acq(&sched.lent), 0);
    return 0;
}

int main(int argc, char **argv) { return gort_main(main_fn, argc, argv); }
