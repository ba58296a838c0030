/* pre.h — small helpers shared by the conformance/preempt tests (included
 * as "pre.h", from their own directory).  Include it first: it includes
 * check.h, which defines _GNU_SOURCE.
 *
 * What these tests rely on (runtime/src/preempt.c): a goroutine that has run
 * a time slice (10 ms, GORT_PREEMPT_AFTER_US) without parking is interrupted
 * by SIGURG wherever it is in the program's own code, even in a loop that
 * calls nothing, and put back in a run queue; until it next parks in a gort
 * call it stays wired to its OS thread.  Asynchronous preemption is off
 * under ThreadSanitizer and Valgrind (and with GORT_ASYNCPREEMPT=0): tests
 * that need it skip themselves there with PRE_SKIP_UNLESS_ASYNC().
 *
 * Loops that "call nothing" are written with relaxed atomics: a relaxed load
 * or store is a plain move, so the loop is the program's own code only, and
 * the compiler may not hoist the load out of the loop. */
#ifndef GORT_CONFORMANCE_PREEMPT_PRE_H
#define GORT_CONFORMANCE_PREEMPT_PRE_H

#include "check.h"

#include <pthread.h>
#include <signal.h>

#define PRE_TSAN_WHY "asynchronous preemption is off under ThreadSanitizer (it holds asynchronous signals until an interceptor runs)"
#define PRE_VALGRIND_WHY "asynchronous preemption is off under Valgrind (it runs one thread at a time)"

/* The test needs asynchronous preemption: skip where the runtime turns it off. */
#define PRE_SKIP_UNLESS_ASYNC() \
    do { \
        SKIP_UNDER_TSAN(PRE_TSAN_WHY); \
        SKIP_UNDER_VALGRIND(PRE_VALGRIND_WHY); \
    } while (0)

#define LD(x)     atomic_load_explicit(&(x), memory_order_relaxed)
#define ST(x, v)  atomic_store_explicit(&(x), (v), memory_order_relaxed)

/* A loop that calls nothing and never parks, until *stop: counts its
 * iterations in *progress (one relaxed store each, so others can watch it
 * move).  noinline and extern-looking so that backtraces can name it. */
static CHECK_NOINLINE CHECK_UNUSED void pre_spin_until(_Atomic int *stop, _Atomic long *progress)
{
    long n = LD(*progress);
    while (!LD(*stop)) ST(*progress, ++n);
}

/* The same loop, until the clock passes *deadline (ns, now_ns). */
static CHECK_NOINLINE CHECK_UNUSED void pre_spin_until_time(_Atomic int64_t *deadline, _Atomic long *progress)
{
    long n = LD(*progress);
    while (now_ns() < LD(*deadline)) ST(*progress, ++n);
}

/* ---- watchdog --------------------------------------------------------------
 * A plain thread that ends the test with a message if it is still running
 * after a deadline: without preemption most of these programs would hang
 * (their main goroutine never runs again), and a failure that names what it
 * waited for is better than ctest's timeout. */

typedef struct pre_watchdog_ {
    int64_t ns;
    const char *what;
    _Atomic int done;
} pre_watchdog_;

static pre_watchdog_ pre_wd_;

static CHECK_UNUSED void *pre_watchdog_main_(void *arg)
{
    (void)arg;
    int64_t end = now_ns() + pre_wd_.ns;
    while (!atomic_load(&pre_wd_.done) && now_ns() < end) usleep(5000);
    if (!atomic_load(&pre_wd_.done)) {
        check_fdprintf(2, "watchdog: %s: still waiting after %lld ms (no preemption?)\n", pre_wd_.what,
                       (long long)(pre_wd_.ns / 1000000));
        _exit(1);
    }
    return NULL;
}

/* Starts the watchdog: after ns, fails the test with "what" unless
 * pre_watchdog_stop() was called.  Scaled by 4 under sanitizers. */
static CHECK_UNUSED void pre_watchdog_start(int64_t ns, const char *what)
{
    pre_wd_.ns = CHECK_SANITIZED ? 4 * ns : ns;
    pre_wd_.what = what;
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, pre_watchdog_main_, NULL), 0);
    CHECK_EQ_INT(pthread_detach(t), 0);
}

static CHECK_UNUSED void pre_watchdog_stop(void) { atomic_store(&pre_wd_.done, 1); }

/* ---- lateness ------------------------------------------------------------
 * The contract: a sleeping goroutine wakes within 50 ms of its time next to
 * goroutines that never park.  On a noisy 2-CPU machine the OS alone can
 * hold a thread back longer now and then, so the tests check the median of
 * several sleeps against the contract's 50 ms and the worst against a
 * generous 500 ms (without preemption the sleeper never wakes at all). */
#define PRE_LATE_MEDIAN MS(50)
#define PRE_LATE_WORST  MS(500)

static CHECK_UNUSED int pre_cmp_i64_(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts late[0..n) and checks median and worst; "what" names the sleeps. */
static CHECK_UNUSED void pre_check_lateness(int64_t *late, int n, const char *what)
{
    qsort(late, (size_t)n, sizeof late[0], pre_cmp_i64_);
    NOTE("%s: lateness median %.1f ms, worst %.1f ms (%d sleeps)\n", what, (double)late[n / 2] / 1e6,
         (double)late[n - 1] / 1e6, n);
    CHECK_MSG(late[n / 2] < PRE_LATE_MEDIAN, "%s: median lateness %.1f ms (want < 50 ms)", what,
              (double)late[n / 2] / 1e6);
    CHECK_MSG(late[n - 1] < PRE_LATE_WORST, "%s: worst lateness %.1f ms (want < 500 ms)", what,
              (double)late[n - 1] / 1e6);
}

/* ---- threads ------------------------------------------------------------ */

/* State letter of thread tid of this process (R, S, D, Z, ...), 0 when the
 * thread does not exist (any more). */
static CHECK_UNUSED char pre_thread_state(long tid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
    if (read_file_into(path, buf, sizeof buf) <= 0) return 0;
    char *rp = strrchr(buf, ')');   /* the name may hold spaces and parentheses */
    return rp && rp[1] == ' ' ? rp[2] : 0;
}

#endif /* GORT_CONFORMANCE_PREEMPT_PRE_H */
