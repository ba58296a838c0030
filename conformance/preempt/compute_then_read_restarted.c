// A goroutine that computes most of the time and blocks in the program's
// own read(2) now and then is preempted like any goroutine that does not
// park, and a preemption signal that lands while its thread waits in the
// read does not make the read fail with EINTR: the runtime's handler is
// installed with SA_RESTART, and the kernel restarts the read.  GOMAXPROCS=1,
// 1 ms slices: the goroutine computes 2 ms, then reads one byte from a pipe
// that a plain thread writes every 0.5 ms, 500 times; next to it, a loop
// that calls nothing.  Every read returns its byte, none fails; and the
// loop made progress while the reader worked, which at GOMAXPROCS=1 means
// the reader was preempted (it never parks).  A signal rarely lands inside
// one of these reads (the runtime signals a thread only while it is on a
// CPU), so the test also checks the handler's SA_RESTART flag itself.
// (Calls the kernel never restarts after a handler, such as nanosleep,
// poll, select and epoll_wait, are another matter: the runtime does not
// signal a thread that sleeps in the kernel or sleeps between short
// computations, but one that mostly computes and blocks in such a call now
// and then can see EINTR, as with any signal, and Go's since 1.14;
// docs/DESIGN.md, "Preemption", and short_blocking_calls_not_interrupted.)
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_PREEMPT_AFTER_US=1000
// gort-test: timeout=60
#include "pre.h"

#define READS 500

static _Atomic int stop, reader_done;
static _Atomic long progress;
static gort_waitgroup spin_wg, read_wg;
static int feed[2];
static int read_fail, read_eintr;
static long progress_during;

static CHECK_NOINLINE int errno_now(void) { return errno; }

static void spinner(void *arg)
{
    (void)arg;
    pre_spin_until(&stop, &progress);
    gort_wg_done(&spin_wg);
}

static void *feeder(void *arg)
{
    (void)arg;
    while (!atomic_load(&reader_done)) {
        if (write(feed[1], "x", 1) != 1) break;
        usleep(500);
    }
    return NULL;
}

static void reader(void *arg)
{
    (void)arg;
    long before = LD(progress);
    for (int i = 0; i < READS; i++) {
        spin_ns(MS(2));
        char c;
        ssize_t r = read(feed[0], &c, 1);
        if (r != 1) {
            read_fail++;
            if (r < 0 && errno_now() == EINTR) read_eintr++;
        }
    }
    progress_during = LD(progress) - before;
    atomic_store(&reader_done, 1);
    gort_wg_done(&read_wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    pre_watchdog_start(MS(30000), "500 computations and reads next to a loop at GOMAXPROCS=1");
    struct sigaction sa;
    CHECK_EQ_INT(sigaction(SIGURG, NULL, &sa), 0);
    CHECK_MSG((sa.sa_flags & SA_SIGINFO) && (sa.sa_flags & SA_RESTART),
              "the SIGURG handler's flags are 0x%x: want SA_SIGINFO | SA_RESTART", (unsigned)sa.sa_flags);
    CHECK_EQ_INT(pipe(feed), 0);
    pthread_t f;
    CHECK_EQ_INT(pthread_create(&f, NULL, feeder, NULL), 0);
    gort_wg_add(&spin_wg, 1);
    go(spinner, NULL);
    gort_wg_add(&read_wg, 1);
    go(reader, NULL);
    gort_wg_wait(&read_wg);   /* main parks; the reader and the loop take turns */
    ST(stop, 1);
    gort_wg_wait(&spin_wg);
    CHECK_EQ_INT(pthread_join(f, NULL), 0);
    pre_watchdog_stop();
    NOTE("%d reads: %d failed (%d EINTR); the loop advanced %ld while they ran\n", READS, read_fail,
         read_eintr, progress_during);
    CHECK_MSG(read_fail == 0, "%d of %d reads failed, %d of them with EINTR", read_fail, READS, read_eintr);
    CHECK_MSG(progress_during > 0, "the loop never ran while the reader worked: the reader was never preempted");
    return 0;
}

GORT_MAIN(main_fn)
