// When main returns, the process exits at once with main's status, whatever
// 1,000 other goroutines are doing (500 busy yielding, 499 blocked, one
// printing).  The test forks: the child runs the gort program and reports
// when main returns; the parent checks status 7 and that exit followed
// within a generous 2 s.
#include "check.h"
#include <sys/wait.h>

#define BUSY 500
#define BLOCKED 499

static int report_fd = -1;
static gort_waitgroup never;        /* blocked goroutines wait here for ever */
static gort_waitgroup started;

static void busy(void *arg)
{
    (void)arg;
    gort_wg_done(&started);
    for (;;) {
        spin_ns(US(20));
        gort_yield();
    }
}

static void blocked(void *arg)
{
    (void)arg;
    gort_wg_done(&started);
    gort_wg_wait(&never);
}

static void printer(void *arg)
{
    (void)arg;
    gort_wg_done(&started);
    for (unsigned long i = 0;; i++) {
        printf("goroutine-tick %lu\n", i);
        fflush(stdout);
        gort_sleep(US(500));
    }
}

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&never, 1);
    gort_wg_add(&started, BUSY + BLOCKED + 1);
    for (int i = 0; i < BUSY; i++) go(busy, NULL);
    for (int i = 0; i < BLOCKED; i++) go(blocked, NULL);
    go(printer, NULL);
    gort_wg_wait(&started);
    gort_sleep(MS(20));
    int64_t t = now_ns();
    CHECK_EQ_INT(write(report_fd, &t, sizeof t), sizeof t);
    return 7;
}

int main(int argc, char **argv)
{
    SKIP_UNDER_VALGRIND("a 2 s bound from main's return to the exit: Valgrind's leak check at exit alone takes seconds");
    int p[2];
    CHECK_EQ_INT(pipe(p), 0);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        report_fd = p[1];
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) dup2(devnull, 1);   /* the ticks go nowhere */
        return gort_main(child_main, argc, argv);
    }
    close(p[1]);
    int64_t returned_at = 0;
    ssize_t r = read(p[0], &returned_at, sizeof returned_at);
    CHECK_MSG(r == (ssize_t)sizeof returned_at, "child's main never returned (read %zd)", r);
    int status = 0;
    int64_t deadline = now_ns() + MS(10000);
    pid_t w;
    while ((w = waitpid(pid, &status, WNOHANG)) == 0 && now_ns() < deadline) usleep(1000);
    if (w == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        FAIL("process still alive 10 s after main returned");
    }
    int64_t exited_after = now_ns() - returned_at;
    CHECK_MSG(WIFEXITED(status), "child did not exit normally (status 0x%x)", status);
    CHECK_EQ_INT(WEXITSTATUS(status), 7);
    CHECK_MSG(exited_after < MS(2000), "process exited %lld ms after main returned",
              (long long)(exited_after / 1000000));
    return 0;
}
