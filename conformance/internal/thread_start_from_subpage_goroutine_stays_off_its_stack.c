// Starting a thread (malloc for the M, pthread_create) takes libc more
// stack than a packed goroutine stack has, so the runtime does it on the
// scheduler stack, whoever asks.  Here a goroutine on a 1 KiB stack is the
// first to need a second thread: with GOMAXPROCS=1 from the environment no
// other M was ever started, and its gort_gomaxprocs(2) wakes an M for the
// new P, which must be created.  The goroutine's stack below its frame keeps
// most of the pattern painted there (the runtime's own frames on the way
// take a few hundred bytes), its canary is intact, and the thread did
// start.  Run on the goroutine's stack, the start overflowed it: into the
// slab's guard page, or over the saved registers of the packed stack below
// (stack_subpage_stacks_packed crashed so, in CI and in 1-6% of runs here).
// gort-test: env=GOMAXPROCS=1
#include "export_test.h"

static gort_waitgroup done;
static size_t painted, left;
static int mcount_before, mcount_after, old_procs;
static bool canary_ok;

static int mcount_now(void)
{
    rt_lock_acquire(&sched.lock);
    int n = sched.mcount;
    rt_lock_release(&sched.lock);
    return n;
}

static void tiny(void *arg)
{
    (void)arg;
    mcount_before = mcount_now();
    painted = xt_stack_paint();
    old_procs = gort_gomaxprocs(2);
    left = xt_stack_paint_left();
    canary_ok = stack_check_canary(&gort__getg()->stk);
    mcount_after = mcount_now();
    gort_wg_done(&done);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    if (CHECK_SANITIZED)
        SKIP("instrumented frames and the sanitizers' allocator do not fit a 1 KiB stack");
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    gort_go_opts o = { .stack_size = 1024, .name = NULL };
    gort_wg_add(&done, 1);
    gort_go_at(tiny, NULL, &o, __FILE__, __LINE__);
    gort_wg_wait(&done);
    NOTE("threads (Ms) %d -> %d; %zu bytes painted, %zu left after gort_gomaxprocs(2)\n",
         mcount_before, mcount_after, painted, left);
    CHECK_EQ_INT(old_procs, 1);
    CHECK_MSG(mcount_before == 1, "an M was started before the goroutine asked (%d Ms): the test "
              "does not reach the thread start it is about", mcount_before);
    CHECK_MSG(mcount_after == 2, "gort_gomaxprocs(2) from the goroutine started %d threads, want 1",
              mcount_after - mcount_before);
    CHECK_MSG(painted >= 512, "only %zu bytes of the goroutine's stack could be painted", painted);
    CHECK_MSG(canary_ok, "the 1 KiB goroutine's canary was overwritten");
    /* The runtime's frames down to the thread start are a few hundred
     * bytes even unoptimised; libc's are not counted here at all. */
    CHECK_MSG(left >= painted / 2, "starting a thread used the 1 KiB goroutine's stack down to %zu bytes "
              "from its end (%zu of %zu painted bytes left)", left, left, painted);
    return 0;
}

GORT_MAIN(main_fn)
