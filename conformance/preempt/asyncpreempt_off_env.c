// GORT_ASYNCPREEMPT=0 in the environment turns asynchronous preemption off
// (Go's GODEBUG=asyncpreemptoff=1) and leaves the cooperative requests at
// gort calls.  Each case runs in a forked child (the parent never starts the
// runtime) with GOMAXPROCS=1, main asleep for 10 ms next to a goroutine in
// a loop, main then stops the loop and waits for it:
//   1. GORT_ASYNCPREEMPT=0, a loop that calls nothing: the child is still
//      running 500 ms later (main never wakes); the parent kills it with
//      SIGKILL and checks that this is how it ended (it did not crash);
//   2. GORT_ASYNCPREEMPT=0, a loop that calls gort_chan_try_recv on an
//      empty channel each iteration: the child finishes (exit 0) within 5 s;
//   3. the variable unset, the loop of 1: the child finishes within 5 s
//      (the control: what turns preemption off is the variable).  Not run
//      under ThreadSanitizer and Valgrind, where preemption is always off.
// gort-test: timeout=30
#include "pre.h"

#include <signal.h>

static _Atomic int stop;
static _Atomic long progress;
static gort_waitgroup wg;
static gort_chan *empty;

static void tight(void *arg)
{
    (void)arg;
    pre_spin_until(&stop, &progress);
    gort_wg_done(&wg);
}

static void polite(void *arg)
{
    (void)arg;
    long n = 0;
    while (!LD(stop)) {
        bool ok = true;
        CHECK(!gort_chan_try_recv(empty, NULL, &ok));
        ST(progress, ++n);
    }
    gort_wg_done(&wg);
}

static int child_main(int argc, char **argv)
{
    (void)argc;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    empty = gort_chan_make(0, 1);
    gort_wg_add(&wg, 1);
    go(strcmp(argv[0], "polite") == 0 ? polite : tight, NULL);
    gort_sleep(MS(10));
    CHECK_MSG(LD(progress) > 0, "the loop never ran");
    ST(stop, 1);
    gort_wg_wait(&wg);
    return 0;
}

/* Forks a child that runs the case with the variable set or unset; returns
 * its pid. */
static pid_t start_child(const char *loop, const char *async)
{
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        if (async) setenv("GORT_ASYNCPREEMPT", async, 1);
        else unsetenv("GORT_ASYNCPREEMPT");
        setenv("GOMAXPROCS", "1", 1);
        static char *argv[2];
        argv[0] = (char *)loop;
        _exit(gort_main(child_main, 1, argv));
    }
    return pid;
}

/* Waits up to ns for the child; true (and *status) if it ended. */
static bool wait_child(pid_t pid, int64_t ns, int *status)
{
    int64_t end = now_ns() + ns;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        CHECK(r >= 0);
        if (r == pid) return true;
        if (now_ns() >= end) return false;
        usleep(2000);
    }
}

static void expect_exit0(pid_t pid, const char *what)
{
    int st = 0;
    if (!wait_child(pid, MS(5000), &st)) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        FAIL("%s: the child did not finish within 5 s", what);
    }
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: child status %#x, want exit 0", what, st);
}

int main(void)
{
    int st = 0;
    /* 1 */
    pid_t pid = start_child("tight", "0");
    CHECK_MSG(!wait_child(pid, MS(500), &st),
              "GORT_ASYNCPREEMPT=0: the child ended (status %#x) although main could not run again", st);
    CHECK_EQ_INT(kill(pid, SIGKILL), 0);
    CHECK_EQ_INT(waitpid(pid, &st, 0), pid);
    CHECK_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "GORT_ASYNCPREEMPT=0: child status %#x, want killed by SIGKILL",
              st);
    /* 2 */
    expect_exit0(start_child("polite", "0"), "GORT_ASYNCPREEMPT=0, a loop calling gort_chan_try_recv");
    /* 3 */
    if (CHECK_TSAN || CHECK_VALGRIND) {
        NOTE("case 3 not run: %s\n", CHECK_TSAN ? PRE_TSAN_WHY : PRE_VALGRIND_WHY);
        return 0;
    }
    expect_exit0(start_child("tight", NULL), "GORT_ASYNCPREEMPT unset, a loop that calls nothing");
    return 0;
}
