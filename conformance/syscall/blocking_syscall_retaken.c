// A thread blocked in a system call that is NOT bracketed by
// gort_syscall_enter/exit still loses its P after a short while (Go's sysmon):
// with GOMAXPROCS=1, one goroutine blocks in read() on a pipe, and another
// goroutine still runs and writes the byte that unblocks it.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

static int p[2];
static gort_waitgroup wg;

static void reader(void *arg)
{
    (void)arg;
    char c = 0;
    ssize_t r = read(p[0], &c, 1);       /* blocks the thread, unannounced */
    CHECK_EQ_INT(r, 1);
    gort_wg_done(&wg);
}

static void writer(void *arg)
{
    (void)arg;
    gort_sleep(MS(50));
    CHECK_EQ_INT(write(p[1], "x", 1), 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(pipe(p), 0);
    gort_wg_add(&wg, 2);
    go(reader, NULL);
    go(writer, NULL);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
