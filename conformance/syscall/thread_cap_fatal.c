// Threads stay bounded: with GORT_MAX_THREADS=4 and GOMAXPROCS=1, eight
// goroutines that each block in a bracketed system call make sysmon hand
// the processor to a new thread each time, until the fifth thread would be
// created; the runtime then ends with Go's message,
// "runtime: program exceeds 4-thread limit" and "fatal error: thread
// exhaustion", exit status 2, instead of piling up threads.
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_MAX_THREADS=4
// gort-test: exit=2
// gort-test: stderr=runtime: program exceeds 4-thread limit
// gort-test: stderr=fatal error: thread exhaustion
#include "check.h"

static int pipes[8][2];

static void blocker(void *arg)
{
    int i = (int)(intptr_t)arg;
    char c;
    gort_syscall_enter();
    ssize_t r = read(pipes[i][0], &c, 1);   /* nobody writes: blocks until the end */
    gort_syscall_exit();
    (void)r;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < 8; i++) {
        CHECK_EQ_INT(pipe(pipes[i]), 0);
        go(blocker, (void *)(intptr_t)i);
    }
    gort_sleep(MS(5000));
    check_fdprintf(2, "still running after 5 s: the thread cap did not stop the runaway\n");
    return 1;
}

GORT_MAIN(main_fn)
