// A plain thread (no goroutine to park) waiting in gort_read without a ctx
// sleeps in the kernel until the descriptor is ready, as a blocking read(2)
// would: it does not poll in a loop.  Here a pthread gort_reads an empty
// pipe for 400 ms before main writes a byte to it; the thread's own CPU
// time (pthread_getcpuclockid) over its wait must stay under 40 ms, a
// tenth of the wall time (a polling loop uses the whole 400 ms), and its
// read must return the byte.
// gort-test: env=GOMAXPROCS=1
#include "np.h"

#include <pthread.h>
#include <time.h>

static int pfd[2];
static _Atomic int reading;

static void *reader(void *arg)
{
    (void)arg;
    CHECK_EQ_U64(gort_id(), 0);   /* really a plain thread */
    char c = 0;
    atomic_store(&reading, 1);
    ssize_t r = gort_read(pfd[0], &c, 1, NULL);
    CHECK_MSG(r == 1 && c == 'x', "plain thread: gort_read returned %zd (%s)", r, np_strerror(r));
    return NULL;
}

static int64_t thread_cpu_ns(pthread_t t)
{
    clockid_t clk;
    CHECK_EQ_INT(pthread_getcpuclockid(t, &clk), 0);
    struct timespec ts;
    CHECK_EQ_INT(clock_gettime(clk, &ts), 0);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(pipe(pfd), 0);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, reader, NULL), 0);
    while (!atomic_load(&reading))
        gort_sleep(MS(1));
    gort_sleep(MS(20));   /* into its wait */
    int64_t cpu0 = thread_cpu_ns(t);
    gort_sleep(MS(400));
    int64_t used = thread_cpu_ns(t) - cpu0;
    CHECK_MSG(used < MS(40), "a plain thread waiting in gort_read used %lld ms of CPU in 400 ms: "
              "it polls instead of sleeping in the kernel", (long long)(used / 1000000));
    CHECK_EQ_INT(write(pfd[1], "x", 1), 1);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    NOTE("the waiting thread used %lld us of CPU in 400 ms\n", (long long)(used / 1000));
    return 0;
}

GORT_MAIN(main_fn)
