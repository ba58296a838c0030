// A goroutine that ends while gort_lock_os_thread holds it takes its thread
// with it, as in Go: the thread exits (/proc/self/task/TID disappears within
// 1 s) and the program goes on (new goroutines run, on other threads).  The
// process's main thread is the exception: a goroutine locked on it that
// ends leaves it idle for good, still there and not a zombie, and the
// program goes on and exits 0.  Each scenario runs in a forked child:
//   A. GOMAXPROCS=2; main locks itself to the main thread, so that the
//      goroutines it starts run elsewhere; three times, a goroutine locks
//      and ends: its thread goes; then 20 goroutines run (sleep, channel).
//   B. GOMAXPROCS=1; the main goroutine starts on the main thread (tid ==
//      pid); a goroutine it starts runs there when main parks, locks and
//      ends: the main thread is then asleep (state S, never Z or gone) and
//      stays so, and sleeps, a ticker, channels and new goroutines work.
//   C. as B, then every goroutine blocks for ever: the deadlock is still
//      declared (exit 2), the idle main thread notwithstanding.
// Does not depend on preemption.
// gort-test: timeout=30
#include "pre.h"
#include "exit/run_child.h"

static gort_waitgroup wg;
static _Atomic long g_tid;
static _Atomic int g_locked;

/* arg 0: locks (twice, unlocks once: nesting) and ends, wherever it runs;
 * arg 1: locks and ends only if it runs on the main thread. */
static void lock_and_end(void *arg)
{
    long t = gettid_();
    atomic_store(&g_tid, t);
    if (arg == NULL) {
        gort_lock_os_thread();
        gort_lock_os_thread();
        gort_unlock_os_thread();
        atomic_store(&g_locked, 1);
    } else if (t == getpid()) {
        gort_lock_os_thread();
        atomic_store(&g_locked, 1);
    }
    gort_wg_done(&wg);
}   /* ends locked */

static void worker(void *arg)
{
    gort_chan *c = arg;
    gort_sleep(MS(1));
    long t = gettid_();
    gort_chan_send(c, &t);
}

/* 20 goroutines run, sleep and send on a channel; none on a thread in dead[]. */
static void program_goes_on(const long *dead, int ndead)
{
    gort_chan *c = gort_chan_make(sizeof(long), 0);
    for (int i = 0; i < 20; i++) go(worker, c);
    for (int i = 0; i < 20; i++) {
        long t = 0;
        CHECK(gort_chan_recv(c, &t));
        for (int k = 0; k < ndead; k++) CHECK_MSG(t != dead[k], "a goroutine ran on thread %ld, which had exited", t);
    }
    gort_chan_unref(c);
    gort_ticker *tk = gort_ticker_new(MS(1));
    for (int i = 0; i < 5; i++) CHECK(gort_chan_recv(gort_ticker_chan(tk), NULL));
    gort_ticker_free(tk);
}

static int child_a(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_gomaxprocs(2);
    gort_lock_os_thread();   /* keeps the goroutines below off the main thread */
    long dead[3];
    for (int round = 0; round < 3; round++) {
        atomic_store(&g_locked, 0);
        gort_wg_add(&wg, 1);
        go(lock_and_end, NULL);
        gort_wg_wait(&wg);
        long t = atomic_load(&g_tid);
        CHECK_MSG(t != getpid(), "round %d: the goroutine ran on the main thread, which main holds locked", round);
        CHECK_MSG(atomic_load(&g_locked), "round %d: the goroutine did not lock", round);
        int64_t end = now_ns() + MS(1000);
        while (pre_thread_state(t) != 0 && now_ns() < end) gort_sleep(MS(1));
        CHECK_MSG(pre_thread_state(t) == 0, "round %d: thread %ld of a goroutine that ended locked still exists (%c)",
                  round, t, pre_thread_state(t));
        dead[round] = t;
    }
    gort_unlock_os_thread();
    program_goes_on(dead, 3);
    printf("A done\n");
    return 0;
}

/* B and C: a goroutine locked on the main thread ends there. */
static void end_locked_on_main_thread(void)
{
    gort_gomaxprocs(1);
    CHECK_MSG(gettid_() == getpid(), "the main goroutine does not start on the main thread");
    for (int tries = 0; tries < 20 && !atomic_load(&g_locked); tries++) {
        gort_wg_add(&wg, 1);
        go(lock_and_end, (void *)1);
        gort_wg_wait(&wg);
    }
    CHECK_MSG(atomic_load(&g_locked), "no goroutine ran on the main thread in 20 tries (last on %ld)",
              atomic_load(&g_tid));
    /* main runs elsewhere now; the main thread falls asleep for good */
    CHECK_MSG(gettid_() != getpid(), "main resumed on the main thread, which a goroutine ended locked on");
    int64_t end = now_ns() + MS(1000);
    char st;
    while ((st = pre_thread_state(getpid())) != 'S' && now_ns() < end) {
        CHECK_MSG(st != 0 && st != 'Z', "the main thread is %s", st ? "a zombie" : "gone");
        gort_sleep(MS(1));
    }
    CHECK_MSG(st == 'S', "the main thread is in state %c, not asleep, 1 s after the goroutine ended", st);
    gort_sleep(MS(200));
    st = pre_thread_state(getpid());
    CHECK_MSG(st == 'S', "the main thread is in state %c 200 ms later, want S (idle)", st);
}

static int child_b(int argc, char **argv)
{
    (void)argc; (void)argv;
    end_locked_on_main_thread();
    long none = 0;
    program_goes_on(&none, 0);
    CHECK_EQ_INT(pre_thread_state(getpid()), 'S');
    printf("B done\n");
    return 0;
}

static int child_c(int argc, char **argv)
{
    (void)argc; (void)argv;
    end_locked_on_main_thread();
    printf("C blocking\n");
    fflush(stdout);
    gort_waitgroup never = {0};
    gort_wg_add(&never, 1);
    gort_wg_wait(&never);
    printf("C wait returned\n");
    return 0;
}

int main(void)
{
    child_out a = run_child(child_a, 0, MS(10000));
    if (child_exit_status(&a) != 0 || !strstr(a.out, "A done")) CHILD_FAIL(&a, "scenario A: want exit 0");
    free(a.out);
    free(a.err);
    child_out b = run_child(child_b, 0, MS(10000));
    if (child_exit_status(&b) != 0 || !strstr(b.out, "B done")) CHILD_FAIL(&b, "scenario B: want exit 0");
    free(b.out);
    free(b.err);
    child_out c = run_child(child_c, 0, MS(10000));
    if (child_exit_status(&c) != 2 || !strstr(c.out, "C blocking") ||
        !strstr(c.err, "all goroutines are asleep - deadlock!"))
        CHILD_FAIL(&c, "scenario C: want the deadlock declared (exit 2)");
    free(c.out);
    free(c.err);
    return 0;
}
