// A goroutine blocked in a system call bracketed by gort_syscall_enter/exit
// does not hold its P: with GOMAXPROCS=1, while it blocks 300 ms in read()
// on a pipe, another goroutine runs, and it is that goroutine that writes
// the byte the read is waiting for.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

static int p[2];
static gort_waitgroup wg;
static _Atomic int other_ran;

static void reader(void *arg)
{
    (void)arg;
    char c = 0;
    gort_syscall_enter();
    ssize_t r = read(p[0], &c, 1);
    gort_syscall_exit();
    CHECK_EQ_INT(r, 1);
    CHECK_EQ_INT(c, 'x');
    CHECK_EQ_INT(atomic_load(&other_ran), 1);
    gort_wg_done(&wg);
}

static void other(void *arg)
{
    (void)arg;
    gort_sleep(MS(300));       /* long enough that the reader is certainly blocked */
    atomic_store(&other_ran, 1);
    CHECK_EQ_INT(write(p[1], "x", 1), 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(pipe(p), 0);
    gort_wg_add(&wg, 2);
    go(reader, NULL);
    gort_yield();
    go(other, NULL);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
