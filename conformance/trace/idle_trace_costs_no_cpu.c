// A running trace costs no CPU while the program does nothing: the
// runtime's writer thread sleeps until a buffer fills or the trace stops.
// With a trace running and every goroutine asleep for 300 ms, the process
// uses under 30% of one CPU over that time (CLOCK_PROCESS_CPUTIME_ID; the
// same idle time without a trace is measured first, for the message).
#include "trace_support.h"

#define IDLE_NS MS(300)

static int64_t process_cpu_ns(void)
{
    struct timespec ts;
    CHECK_EQ_INT(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts), 0);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The process's CPU time while this goroutine (the only one) sleeps. */
static int64_t idle_cpu_ns(void)
{
    int64_t c0 = process_cpu_ns();
    gort_sleep(IDLE_NS);
    return process_cpu_ns() - c0;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    char path[64];
    int fd = trace_tmpfile(path);
    int64_t untraced = idle_cpu_ns();
    CHECK_EQ_INT(gort_trace_start(fd), 0);
    gort_sleep(MS(20));   /* past the trace's start-up (its buffers stocked) */
    int64_t traced = idle_cpu_ns();
    gort_trace_stop();
    CHECK_MSG(traced < IDLE_NS * 3 / 10,
              "an idle program with a trace running used %lld ms of CPU in %lld ms (%lld ms without a trace)",
              (long long)(traced / 1000000), (long long)(IDLE_NS / 1000000), (long long)(untraced / 1000000));
    free(trace_read_checked(path));
    unlink(path);
    close(fd);
    return 0;
}

GORT_MAIN(main_fn)
