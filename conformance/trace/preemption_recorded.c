// An asynchronous preemption is in the trace as the spinning goroutine's
// stop with why "preempt": at GOMAXPROCS=1 a goroutine spins without calls
// until main has run again, which only a preemption allows.
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=60
#include "trace_support.h"

static _Atomic int release;
static gort_waitgroup wg;

static void spinner(void *arg)
{
    (void)arg;
    while (!atomic_load(&release))
        ;
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_VALGRIND("asynchronous preemption is off under Valgrind");
    SKIP_UNDER_TSAN("asynchronous preemption is off under ThreadSanitizer");
    char path[64];
    int fd = trace_tmpfile(path);
    CHECK_EQ_INT(gort_trace_start(fd), 0);
    gort_wg_add(&wg, 1);
    uint64_t id = go(spinner, NULL);
    gort_sleep(MS(1));          /* the spinner takes the only P; main runs again only if it is preempted */
    atomic_store(&release, 1);
    gort_wg_wait(&wg);
    gort_trace_stop();
    char *s = trace_read_checked(path);
    char want[96];
    snprintf(want, sizeof want, "\"args\":{\"g\":%llu,\"why\":\"preempt\"}", (unsigned long long)id);
    CHECK_MSG(strstr(s, want) != NULL, "no %s in the trace", want);
    free(s);
    unlink(path);
    close(fd);
    return 0;
}

GORT_MAIN(main_fn)
