// The preemption signal is sent only to a thread that is running on a CPU,
// never to one asleep in a system call, so the program's own blocking calls
// made from goroutines are not cut short with EINTR while the runtime
// preempts others all around them (GOMAXPROCS=2, 1 ms slices, 8 goroutines
// looping without calling anything: more than there can be processors even
// with the ones the runtime lends while goroutines block in the kernel):
//   - a plain read(2) on a pipe that a plain thread writes 300 ms later
//     returns the data (a pipe read is restarted after a handler installed
//     with SA_RESTART, as the runtime's is; without the flag it would fail);
//   - a plain nanosleep of 200 ms returns 0 after at least 200 ms (never
//     restarted, whatever the flags: an interruption would show).
// While the two calls block, every one of the 8 loops makes progress (seen by
// a plain thread), which with more loops than processors means they were
// being preempted: the signals were being sent.  All the loops have run
// before the calls start.  Without asynchronous preemption some never run.
// gort-test: env=GOMAXPROCS=2
// gort-test: env=GORT_PREEMPT_AFTER_US=1000
// gort-test: timeout=30
#include "pre.h"

#define NSPIN 8

static _Atomic int stop;
static _Atomic long progress[NSPIN];
static gort_waitgroup spin_wg, calls_wg;
static int data_pipe[2];
static _Atomic int in_calls;

static CHECK_NOINLINE int errno_now(void) { return errno; }

static void spinner(void *arg)
{
    pre_spin_until(&stop, &progress[(intptr_t)arg]);
    gort_wg_done(&spin_wg);
}

/* A plain thread: writes the pipe 300 ms after the calls started, and
 * watches the loops' progress while the calls block (from outside: a
 * goroutine could itself be held up behind one of the blocked threads). */
static _Atomic int calls_done;
static void *writer(void *arg)
{
    (void)arg;
    while (atomic_load(&in_calls) < 2) usleep(1000);
    long before[NSPIN];
    for (int i = 0; i < NSPIN; i++) before[i] = LD(progress[i]);
    usleep(300 * 1000);
    CHECK_EQ_INT(write(data_pipe[1], "hello", 5), 5);
    while (atomic_load(&calls_done) < 2) usleep(1000);
    for (int i = 0; i < NSPIN; i++)
        CHECK_MSG(LD(progress[i]) > before[i], "loop %d made no progress while the calls blocked", i);
    return NULL;
}

static void reader(void *arg)
{
    (void)arg;
    char buf[16] = { 0 };
    atomic_fetch_add(&in_calls, 1);
    int64_t t0 = now_ns();
    ssize_t r = read(data_pipe[0], buf, sizeof buf);
    int e = r < 0 ? errno_now() : 0;
    CHECK_MSG(r == 5 && memcmp(buf, "hello", 5) == 0, "read returned %zd (%s) after %lld ms", r,
              r < 0 ? strerror(e) : "data", (long long)((now_ns() - t0) / 1000000));
    atomic_fetch_add(&calls_done, 1);
    gort_wg_done(&calls_wg);
}

static void sleeper(void *arg)
{
    (void)arg;
    struct timespec ts = { 0, 200 * 1000000L }, rem = { 0, 0 };
    atomic_fetch_add(&in_calls, 1);
    int64_t t0 = now_ns();
    int r = nanosleep(&ts, &rem);
    int e = r < 0 ? errno_now() : 0;
    int64_t took = now_ns() - t0;
    CHECK_MSG(r == 0, "nanosleep returned %d (%s) after %lld ms, %ld ms left", r, strerror(e),
              (long long)(took / 1000000), rem.tv_nsec / 1000000);
    CHECK_MSG(took >= MS(200), "nanosleep of 200 ms returned after %lld ms", (long long)(took / 1000000));
    atomic_fetch_add(&calls_done, 1);
    gort_wg_done(&calls_wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    pre_watchdog_start(MS(10000), "blocking calls next to 8 loops at GOMAXPROCS=2");
    CHECK_EQ_INT(pipe(data_pipe), 0);
    gort_wg_add(&spin_wg, NSPIN);
    for (intptr_t i = 0; i < NSPIN; i++) go(spinner, (void *)i);
    /* every loop has run (and so been preempted) before the calls start:
     * none is left waiting in a processor's own queue */
    for (int i = 0; i < NSPIN; i++)
        while (LD(progress[i]) == 0) gort_yield();
    pthread_t w;
    CHECK_EQ_INT(pthread_create(&w, NULL, writer, NULL), 0);
    gort_wg_add(&calls_wg, 2);
    go(reader, NULL);
    go(sleeper, NULL);
    gort_wg_wait(&calls_wg);
    CHECK_EQ_INT(pthread_join(w, NULL), 0);
    ST(stop, 1);
    gort_wg_wait(&spin_wg);
    pre_watchdog_stop();
    return 0;
}

GORT_MAIN(main_fn)
