// While a goroutine prints a dump it waits for the runtime's symbolizer
// thread with its processor kept, and the runtime lends no processor for
// that wait; once the dump is printed its thread is like any other again:
// when the same goroutine then blocks its thread in the kernel without
// gort_syscall_enter, one more processor is lent so that the rest of the
// program runs.  GOMAXPROCS=1: main dumps (symbolized, to a file), then
// waits in poll(2) on a pipe that only another goroutine writes to; that
// goroutine is queued behind main and can run only on a lent processor.
// Main is wired to its thread (gort_lock_os_thread), so the dump and the
// blocking call are made on the same thread.  The writer writes only once
// main has announced its call, so it cannot have run before main blocked.
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=60
#include "check.h"

#include <poll.h>

static int pfd[2];
static _Atomic int main_blocking;

static void writer(void *arg)
{
    (void)arg;
    while (!atomic_load(&main_blocking))
        gort_sleep(MS(1));
    CHECK_EQ_INT(write(pfd[1], "x", 1), 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    CHECK_EQ_INT(pipe(pfd), 0);
    gort_lock_os_thread();
    go(writer, NULL);

    char *dump = dump_to_string();
    CHECK(dump != NULL);
    CHECK_MSG(strstr(dump, "goroutine 1 [running]:\ngort_dump(...)\n") != NULL,
              "the dump does not show main's symbolized backtrace:\n%s", dump);
    free(dump);

    atomic_store(&main_blocking, 1);
    struct pollfd p = { pfd[0], POLLIN, 0 };
    int r = poll(&p, 1, 10000);   /* unbracketed: this thread sleeps in the kernel */
    CHECK_MSG(r == 1, "the goroutine queued behind main did not run within 10 s of main's "
              "blocking call (poll returned %d): no processor was lent", r);
    char c;
    CHECK_EQ_INT(read(pfd[0], &c, 1), 1);
    gort_unlock_os_thread();
    return 0;
}

GORT_MAIN(main_fn)
