// gort_stats counts goroutines by state (Go 1.26's /sched/goroutines/...)
// and the counts add up to `goroutines`.  At GOMAXPROCS=1, with
// asynchronous preemption off so that nothing moves on its own:
//   - S goroutines sit in gort_syscall_enter ... read() on a pipe: in_syscall;
//   - W goroutines are parked on a channel receive: waiting;
//   - R goroutines were started and never given the processor: runnable;
//   - main itself: running.
// Each count is exact; the dump agrees on the waiting and runnable ones.
// Then everything is released and the counts fall back to main alone.
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
#include "check.h"

#include <unistd.h>

#define S 3
#define W 5
#define R 4

static int p[2];
static gort_chan *gate;
static gort_waitgroup wg;
static _Atomic int entered, started;

static void in_call(void *arg)
{
    (void)arg;
    char b;
    gort_syscall_enter();
    atomic_fetch_add(&entered, 1);
    ssize_t n = read(p[0], &b, 1);   /* blocks until main writes */
    gort_syscall_exit();
    CHECK_EQ_INT(n, 1);
    gort_wg_done(&wg);
}

static void waiter(void *arg)
{
    (void)arg;
    atomic_fetch_add(&started, 1);
    CHECK(!gort_chan_recv(gate, NULL));   /* until closed */
    gort_wg_done(&wg);
}

static void runnable(void *arg)
{
    (void)arg;
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(pipe(p), 0);
    gate = gort_chan_make(0, 0);
    gort_wg_add(&wg, S + W + R);

    for (int i = 0; i < S; i++)
        go(in_call, NULL);
    for (int i = 0; i < W; i++)
        go(waiter, NULL);
    /* The only processor goes to the others while main yields; a thread in
     * a bracketed call gives it up (sysmon hands it on). */
    int64_t end = now_ns() + MS(10000);
    while (atomic_load(&entered) < S || atomic_load(&started) < W) {
        CHECK_MSG(now_ns() < end, "only %d in the call, %d started", atomic_load(&entered),
                  atomic_load(&started));
        gort_yield();
    }
    /* main runs again: every waiter has parked (one P, no preemption) */
    for (int i = 0; i < R; i++)
        go(runnable, NULL);   /* queued; main keeps the processor */

    gort_stats st = stats_now();
    NOTE("running %lld runnable %lld waiting %lld in_syscall %lld goroutines %lld\n",
         (long long)st.running, (long long)st.runnable, (long long)st.waiting,
         (long long)st.in_syscall, (long long)st.goroutines);
    CHECK_EQ_INT(st.goroutines, 1 + S + W + R);
    CHECK_EQ_INT(st.running, 1);
    CHECK_EQ_INT(st.runnable, R);
    CHECK_EQ_INT(st.waiting, W);
    CHECK_EQ_INT(st.in_syscall, S);
    CHECK_EQ_INT(st.running + st.runnable + st.waiting + st.in_syscall, st.goroutines);

    char *d = dump_to_string();
    CHECK_EQ_INT(count_substr(d, "[chan receive]"), W);
    CHECK_EQ_INT(count_substr(d, "[runnable]"), R);
    CHECK_EQ_INT(count_substr(d, "[syscall"), S);
    free(d);

    gort_chan_close(gate);
    CHECK_EQ_INT(write(p[1], "xxx", S), S);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    st = stats_now();
    CHECK_EQ_INT(st.running, 1);
    CHECK_EQ_INT(st.runnable + st.waiting + st.in_syscall, 0);
    return 0;
}

int main(int argc, char **argv) { return gort_main(main_fn, argc, argv); }
