// A fatal error freezes the world before its report (Go's freezetheworld):
// every goroutine running on another thread stops for good at its next
// switch, and the reporter waits up to 100 ms for the threads running
// goroutines to get there, so that what those goroutines were doing is
// finished before the report rather than cut off by the process's end
// (docs/DESIGN.md, "panic, defer, recover, exit").  Also when the fatal
// error happens on a plain thread, which runs no goroutine of its own.
// GOMAXPROCS=1 and the main goroutine the only one, so the runtime's one
// thread is running it: main loops printing `begin N`, computing for 20 ms
// (calling nothing), printing `end N` and yielding; once it has done three
// rounds, a plain thread calls gort_defer, a fatal error there, while main
// is in the middle of its fourth.  Run in a forked child with stdout and
// stderr on one pipe: exit status 2, the fatal error's line, and before it
// main's last round whole (its `end` printed), nothing of it after.
// Asynchronous preemption is off: the 20 ms of computing must not be cut
// into by a preemption, itself a switch, which would stop main there.
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
// gort-test: timeout=60
#include "exit/run_child.h"

#include <pthread.h>

#define FATAL_LINE "fatal error: gort_defer called on a thread that is not running a goroutine\n"

static _Atomic int rounds;

static void never_called(void *arg) { (void)arg; }

static void *plain_thread(void *arg)
{
    (void)arg;
    while (atomic_load(&rounds) < 3)
        usleep(500);
    gort_defer(never_called, NULL);   /* fatal: no goroutine on this thread */
    return NULL;
}

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, plain_thread, NULL), 0);
    char line[32];
    for (int n = 0;; n++) {
        int len = snprintf(line, sizeof line, "begin %d\n", n);
        check_write_all_(1, line, (size_t)len);
        spin_ns(MS(20));
        len = snprintf(line, sizeof line, "end %d\n", n);
        check_write_all_(1, line, (size_t)len);
        atomic_store(&rounds, n + 1);
        gort_yield();
    }
    return 0;
}

int main(void)
{
    child_out co = run_child(child_main, CHILD_MERGE, MS(30000));
    CHILD_CHECK(&co, !co.timed_out);
    CHILD_CHECK(&co, child_exit_status(&co) == 2);
    const char *fatal = strstr(co.out, FATAL_LINE);
    CHILD_CHECK(&co, fatal != NULL);
    /* nothing of the goroutine's after the report's first line */
    CHILD_CHECK(&co, strstr(fatal, "begin ") == NULL && strstr(fatal, "end ") == NULL);
    /* the goroutine's last round before it was finished */
    size_t before = (size_t)(fatal - co.out);
    char *head = malloc(before + 1);
    CHECK(head != NULL);
    memcpy(head, co.out, before);
    head[before] = 0;
    int begins = count_substr(head, "begin "), ends = count_substr(head, "end ");
    if (begins < 4 || ends != begins) {
        CHILD_FAIL(&co, "%d rounds begun and %d finished before the fatal error's report (want 4 or more, "
                   "all finished: the report must wait for the running goroutine's next switch)",
                   begins, ends);
    }
    char want[32];
    snprintf(want, sizeof want, "end %d\n", begins - 1);
    CHILD_CHECK(&co, strstr(head, want) != NULL);
    free(head);
    free(co.out);
    free(co.err);
    return 0;
}
