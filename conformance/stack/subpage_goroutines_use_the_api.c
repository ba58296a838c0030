// Goroutines on the smallest stacks (1 KiB, packed; 2 KiB unoptimised) may
// call the runtime: 2,000 of them at once each spawn a child on as small a
// stack, hand a value through an unbuffered channel, select over two
// channels and a timer, sleep, take a contended mutex, and make and cancel
// a context with a deadline.  Each checks its results, and every stack's
// canary is checked when its goroutine parks and ends (an overflow is a
// fatal error), so the program exits 0 only if none of these calls overran
// its stack.  While gort_select kept scratch for 16 cases (1.5 KiB) on
// every call's stack and sorted with libc's qsort, it overflowed at once.
#include "check.h"

#define N 2000
/* Unoptimised (a Debug build of the runtime and of this test), the
 * runtime's frames are about twice as large, and 1 KiB is not enough. */
#ifdef __OPTIMIZE__
#define SMALL 1024
#else
#define SMALL 2048
#endif

static gort_mutex mu;
static long shared;
static gort_waitgroup done;
static int64_t failures;

static void child(void *arg)
{
    gort_chan *c = arg;
    long v = 7;
    gort_chan_send(c, &v);
    gort_chan_unref(c);   /* the reference small() passed */
}

static void small(void *arg)
{
    (void)arg;
    gort_go_opts o = { .stack_size = SMALL, .name = NULL };
    gort_chan *c = gort_chan_make(sizeof(long), 0);
    gort_go_at(child, gort_chan_ref(c), &o, __FILE__, __LINE__);
    long v = 0;
    if (!gort_chan_recv(c, &v) || v != 7)
        __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);

    gort_chan *t = gort_after(1000 * 1000);
    gort_case cs[2] = { { GORT_RECV, c, NULL, false }, { GORT_RECV, t, NULL, false } };
    if (gort_select(cs, 2, true) != 1)   /* nobody sends on c again */
        __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
    gort_chan_unref(t);
    gort_chan_unref(c);

    gort_sleep(100 * 1000);
    gort_mutex_lock(&mu);
    shared++;
    gort_yield();   /* hold it across a switch: others wait in the mutex */
    gort_mutex_unlock(&mu);

    gort_ctx *x = gort_ctx_with_timeout(gort_ctx_background(), 50 * 1000 * 1000);
    gort_ctx_cancel(x);
    if (gort_ctx_err(x) != GORT_CANCELED)
        __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
    gort_ctx_unref(x);
    gort_wg_done(&done);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    if (CHECK_SANITIZED)
        SKIP("instrumented frames are several times larger than a 1 KiB stack allows for");
    gort_go_opts o = { .stack_size = SMALL, .name = NULL };
    gort_wg_add(&done, N);
    for (int i = 0; i < N; i++)
        gort_go_at(small, NULL, &o, __FILE__, __LINE__);
    gort_wg_wait(&done);
    CHECK_EQ_INT(shared, N);
    CHECK_EQ_INT(failures, 0);
    return 0;
}

GORT_MAIN(main_fn)
