// Goroutines that asynchronous preemption interrupted (and wired to their
// threads until they next park), or that hold gort_lock_os_thread, do not
// hide a deadlock: once every goroutine blocks for ever the runtime declares
// it as usual ("fatal error: all goroutines are asleep - deadlock!", exit 2)
// within 2 s.  In forked children with GOMAXPROCS=1:
//   1. a goroutine loops without calling anything until main has woken
//      from 5 sleeps during which it ran (preempted 5 times), then blocks
//      on a channel nobody sends to; main blocks on a WaitGroup for ever;
//   2. the same, the goroutine having called gort_lock_os_thread first;
//   3. main itself loops until a goroutine that sleeps 10 ms (so main was
//      preempted) sets a flag, then both block for ever.
// gort-test: timeout=30
#include "pre.h"
#include "exit/run_child.h"

static _Atomic int stop, flag;
static _Atomic long progress;
static gort_chan *never_ch;
static gort_waitgroup never_wg;

static void spin_then_block(void *arg)
{
    if (arg) gort_lock_os_thread();
    pre_spin_until(&stop, &progress);
    gort_chan_recv(never_ch, NULL);
}

static void let_it_be_preempted(void)
{
    int preempted = 0;
    for (int i = 0; i < 200 && preempted < 5; i++) {
        long before = LD(progress);
        gort_sleep(MS(2));
        if (LD(progress) > before) preempted++;
    }
    CHECK_MSG(preempted == 5, "the loop ran during only %d of 200 sleeps", preempted);
}

static int goroutine_blocks(void *locked)
{
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    never_ch = gort_chan_make(0, 0);
    go(spin_then_block, locked);
    let_it_be_preempted();
    ST(stop, 1);
    printf("blocking\n");
    fflush(stdout);
    gort_wg_add(&never_wg, 1);
    gort_wg_wait(&never_wg);
    printf("wait returned\n");
    return 0;
}

static int case1(int argc, char **argv) { (void)argc; (void)argv; return goroutine_blocks(NULL); }
static int case2(int argc, char **argv) { (void)argc; (void)argv; return goroutine_blocks((void *)1); }

static void set_flag_then_block(void *arg)
{
    (void)arg;
    gort_sleep(MS(10));
    atomic_store(&flag, 1);
    gort_chan_recv(never_ch, NULL);
}

static int case3(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    never_ch = gort_chan_make(0, 0);
    go(set_flag_then_block, NULL);
    volatile long n = 0;
    while (!atomic_load_explicit(&flag, memory_order_relaxed)) n++;
    printf("blocking\n");
    fflush(stdout);
    gort_wg_add(&never_wg, 1);
    gort_wg_wait(&never_wg);
    printf("wait returned\n");
    return 0;
}

static void expect_deadlock(int (*fn)(int, char **), const char *what)
{
    child_out co = run_child(fn, 0, MS(10000));
    if (child_exit_status(&co) != 2 || !strstr(co.out, "blocking\n") ||
        !strstr(co.err, "fatal error: all goroutines are asleep - deadlock!"))
        CHILD_FAIL(&co, "%s: want the deadlock declared (exit 2)", what);
    CHILD_CHECK(&co, strstr(co.out, "wait returned") == NULL);
    free(co.out);
    free(co.err);
}

int main(void)
{
    PRE_SKIP_UNLESS_ASYNC();
    setenv("GOMAXPROCS", "1", 1);
    expect_deadlock(case1, "case 1 (a preempted goroutine blocks)");
    expect_deadlock(case2, "case 2 (a locked, preempted goroutine blocks)");
    expect_deadlock(case3, "case 3 (main was preempted)");
    return 0;
}
