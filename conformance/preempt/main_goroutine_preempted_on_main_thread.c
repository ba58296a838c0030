// The main goroutine itself, in a loop that calls nothing, is preempted like
// any other and resumes on the main thread (tid == pid): with GOMAXPROCS=1
// main loops until a goroutine that sleeps 10 ms ten times in a row (waking
// within 50 ms of its time, see pre.h; possible only if main was preempted)
// sets a flag; main checks after every few thousand iterations that it is
// still on the main thread.
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=20
#include "pre.h"

static _Atomic int done;
#define SLEEPS 10
static int64_t late[SLEEPS];

static void sleeper(void *arg)
{
    (void)arg;
    for (int i = 0; i < SLEEPS; i++) {
        int64_t t0 = now_ns();
        gort_sleep(MS(10));
        late[i] = now_ns() - t0 - MS(10);
    }
    atomic_store(&done, 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    CHECK_MSG(gettid_() == getpid(), "the main goroutine does not start on the main thread");
    pre_watchdog_start(MS(5000), "a goroutine asleep while main loops at GOMAXPROCS=1");
    go(sleeper, NULL);
    volatile uint64_t work = 0;
    long checks = 0;
    while (!atomic_load_explicit(&done, memory_order_acquire)) {
        for (int k = 0; k < 4000; k++) work = work * 6364136223846793005ull + 1;
        CHECK_MSG(gettid_() == getpid(), "main moved to thread %ld after %ld checks", gettid_(), checks);
        checks++;
    }
    pre_watchdog_stop();
    pre_check_lateness(late, SLEEPS, "10 ms sleeps while main loops at GOMAXPROCS=1");
    return 0;
}

GORT_MAIN(main_fn)
