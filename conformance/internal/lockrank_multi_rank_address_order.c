// A rank marked "several" (CHAN: a select locks all its channels) may be
// held more than once, the locks taken in increasing address order; the
// reverse order is a lock ordering problem in a build that checks ranks
// (Debug).  A rank not marked so (SCHED) may not be held twice at all.
// Each case runs in a child process whose exit status and stderr are
// checked.  Builds without the checker skip.
#include "export_test.h"

#include <sys/wait.h>

static rt_lock chans[2] = { RT_LOCK_INIT(CHAN), RT_LOCK_INIT(CHAN) };
static rt_lock scheds[2] = { RT_LOCK_INIT(SCHED), RT_LOCK_INIT(SCHED) };

/* Runs take(first, second) in a child; returns its exit status, its
 * stderr in err. */
static int in_child(rt_lock *first, rt_lock *second, char *err, size_t n)
{
    int fd[2];
    CHECK_EQ_INT(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        rt_lock_acquire(first);
        rt_lock_acquire(second);
        rt_lock_release(second);
        rt_lock_release(first);
        _exit(0);
    }
    close(fd[1]);
    size_t got = 0;
    ssize_t r;
    while (got + 1 < n && (r = read(fd[0], err + got, n - 1 - got)) > 0)
        got += (size_t)r;
    err[got] = 0;
    close(fd[0]);
    int status;
    CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
    CHECK_MSG(WIFEXITED(status), "child ended by signal %d:\n%s", WTERMSIG(status), err);
    return WEXITSTATUS(status);
}

int main(void)
{
    if (!lockrank_enabled)
        SKIP("this build does not check lock ranks (Debug builds do)");
    static char err[8192];
    rt_lock *lo = &chans[0], *hi = &chans[1];   /* array order: increasing addresses */

    CHECK_MSG(in_child(lo, hi, err, sizeof err) == 0, "two CHAN locks in address order:\n%s", err);

    CHECK_EQ_INT(in_child(hi, lo, err, sizeof err), 2);
    CHECK_STR_CONTAINS(err, "fatal error: lock ordering problem: taking CHAN");
    CHECK_STR_CONTAINS(err, "while holding CHAN");

    CHECK_EQ_INT(in_child(&scheds[0], &scheds[1], err, sizeof err), 2);
    CHECK_STR_CONTAINS(err, "fatal error: lock ordering problem: taking SCHED");
    CHECK_STR_CONTAINS(err, "while holding SCHED");
    printf("ok\n");
    return 0;
}
