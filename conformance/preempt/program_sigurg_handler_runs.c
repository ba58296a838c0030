// The runtime preempts with SIGURG, and the program's own SIGURG handler
// still gets the program's signals — and only those: the SIGURGs the runtime
// sends to preempt goroutines are not passed to it.  In a forked child with
// GOMAXPROCS=1, two goroutines loop without calling anything, so the runtime
// signals all the time (1 ms slices); main, which can only run when one of
// them has been preempted, sends the process 10 SIGURGs with kill() from a
// plain thread (each to be handled before the next is sent: two pending
// SIGURGs would merge into one) and 10 with raise() from the main goroutine
// (handled before raise returns), and checks after each that the handler ran
// exactly once more; 300 ms later (more preemptions meanwhile) the handler
// has run exactly 20 times, with si_code SI_USER or SI_TKILL and si_pid the
// process's own.  Each time main wakes from a sleep shows that the loops
// were preempted; it must wake at least 20 times in all.
//   1. the handler (SA_SIGINFO) is installed before the runtime starts;
//   2. the handler (a plain sa_handler) is installed by the main goroutine
//      while the loops run, i.e. after the runtime installed its own; the
//      runtime checks the disposition about every 100 ms before it signals
//      and chains to the program's handler from then on, so the test waits
//      300 ms (preemption must go on: main wakes) before it counts.
// gort-test: timeout=30
#include "pre.h"
#include "exit/run_child.h"

#define N 10

static _Atomic long handled;
static _Atomic int bad_info;
static _Atomic int bad_code, bad_pid;
static _Atomic int stop;
static _Atomic long progress[2];
static gort_waitgroup spin_wg;
static long wakes;

static void on_urg_info(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    if (sig != SIGURG || (info->si_code != SI_USER && info->si_code != SI_TKILL) || info->si_pid != getpid()) {
        atomic_store(&bad_code, info->si_code);
        atomic_store(&bad_pid, info->si_pid);
        atomic_fetch_add(&bad_info, 1);
    }
    atomic_fetch_add(&handled, 1);
}

static void on_urg_plain(int sig)
{
    if (sig != SIGURG) atomic_fetch_add(&bad_info, 1);
    atomic_fetch_add(&handled, 1);
}

static void install(bool siginfo)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (siginfo) {
        sa.sa_sigaction = on_urg_info;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
    } else {
        sa.sa_handler = on_urg_plain;
        sa.sa_flags = SA_RESTART;
    }
    sigemptyset(&sa.sa_mask);
    CHECK_EQ_INT(sigaction(SIGURG, &sa, NULL), 0);
}

static void spinner(void *arg)
{
    pre_spin_until(&stop, &progress[(intptr_t)arg]);
    gort_wg_done(&spin_wg);
}

/* main sleeps (it only wakes if a loop was preempted) */
static void nap(int64_t ns)
{
    gort_sleep(ns);
    wakes++;
}

/* Waits (sleeping) until the handler has run `want` times, up to 2 s. */
static void wait_handled(long want, const char *what, int i)
{
    int64_t end = now_ns() + MS(2000);
    while (atomic_load(&handled) < want && now_ns() < end) nap(US(500));
    long h = atomic_load(&handled);
    CHECK_MSG(h == want, "%s %d: the handler has run %ld times, want %ld", what, i, h, want);
}

static gort_chan *sent;   /* the plain thread: "sent one" */
static gort_chan *go_on;  /* main: "it was handled, send the next" */

static void *killer(void *arg)
{
    (void)arg;
    for (int i = 0; i < N; i++) {
        CHECK_EQ_INT(kill(getpid(), SIGURG), 0);
        gort_chan_send(sent, &i);
        CHECK(gort_chan_recv(go_on, NULL));
    }
    return NULL;
}

static void run(void)
{
    long base = atomic_load(&handled);
    /* kill() from a plain thread, one at a time */
    sent = gort_chan_make(sizeof(int), 0);
    go_on = gort_chan_make(0, 0);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, killer, NULL), 0);
    for (int i = 0; i < N; i++) {
        int j = -1;
        CHECK(gort_chan_recv(sent, &j));
        wait_handled(base + i + 1, "kill", i);
        nap(MS(2));
        gort_chan_send(go_on, NULL);
    }
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    gort_chan_unref(sent);
    gort_chan_unref(go_on);
    /* raise() from a goroutine: handled before it returns */
    for (int i = 0; i < N; i++) {
        CHECK_EQ_INT(raise(SIGURG), 0);
        long h = atomic_load(&handled);
        CHECK_MSG(h == base + N + i + 1, "raise %d: the handler has run %ld times, want %ld", i, h, base + N + i + 1);
        nap(MS(5));
    }
    /* more preemptions, no more program signals */
    int64_t end = now_ns() + MS(300);
    while (now_ns() < end) nap(MS(2));
    long h = atomic_load(&handled);
    CHECK_MSG(h == base + 2 * N, "the handler ran %ld times for %d signals the program sent", h - base, 2 * N);
    CHECK_MSG(atomic_load(&bad_info) == 0, "%d calls of the handler with si_code %d, si_pid %d (own pid %d)",
              atomic_load(&bad_info), atomic_load(&bad_code), atomic_load(&bad_pid), (int)getpid());
    CHECK_MSG(wakes >= 20, "main woke only %ld times next to 2 loops at GOMAXPROCS=1", wakes);
    ST(stop, 1);
    gort_wg_wait(&spin_wg);
}

static void start_spinners(void)
{
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    gort_wg_add(&spin_wg, 2);
    go(spinner, (void *)0);
    go(spinner, (void *)1);
    nap(MS(30));
}

static int child_before(int argc, char **argv)
{
    (void)argc; (void)argv;
    start_spinners();
    run();
    printf("done: handler ran %ld times, main woke %ld times\n", atomic_load(&handled), wakes);
    return 0;
}

static int child_after(int argc, char **argv)
{
    (void)argc; (void)argv;
    start_spinners();
    install(false);
    long w0 = wakes;
    int64_t end = now_ns() + MS(300);
    while (now_ns() < end) nap(MS(2));
    CHECK_MSG(wakes - w0 >= 10, "main woke only %ld times in the 300 ms after the program installed its handler",
              wakes - w0);
    run();
    printf("done: handler ran %ld times, main woke %ld times\n", atomic_load(&handled), wakes);
    return 0;
}

int main(void)
{
    SKIP_UNDER_TSAN(PRE_TSAN_WHY);
    SKIP_UNDER_VALGRIND(PRE_VALGRIND_WHY);
    setenv("GORT_PREEMPT_AFTER_US", "1000", 1);
    setenv("GOMAXPROCS", "1", 1);
    /* 1: installed before the runtime starts (in the child, before gort_main) */
    install(true);
    child_out a = run_child(child_before, 0, MS(15000));
    if (child_exit_status(&a) != 0 || !strstr(a.out, "done")) CHILD_FAIL(&a, "handler installed before start");
    NOTE("before start: %s", a.out);
    free(a.out);
    free(a.err);
    /* 2: installed by the main goroutine */
    signal(SIGURG, SIG_DFL);
    child_out b = run_child(child_after, 0, MS(15000));
    if (child_exit_status(&b) != 0 || !strstr(b.out, "done")) CHILD_FAIL(&b, "handler installed after start");
    NOTE("after start: %s", b.out);
    free(b.out);
    free(b.err);
    return 0;
}
