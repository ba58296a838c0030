/* race_run.h — for the `races` tests: runs a goroutine program in a child
 * process (a ThreadSanitizer build of it) and reports whether TSan found a
 * data race, with the child's stderr for the failure message.  Outside a
 * TSan build the races tests skip themselves. */
#ifndef RACE_RUN_H
#define RACE_RUN_H

#include "check.h"

#include <sys/wait.h>

static char race_stderr[1 << 16];
/* The child's exit status (fn's return value; TSan exits 66 after a report),
 * or -N when it was killed by signal N. */
static int race_status;
/* TSan's exit status for a program that returned 0 after reporting (its
 * default exitcode): what a racy program of the *_reported tests, which
 * returns 0, must end with — not a crash or an error of its own after the
 * report. */
#define RACE_REPORTED_STATUS 66

/* Runs gort_main(fn) in a child; returns true if TSan reported a race. */
static bool race_run(int (*fn)(int, char **))
{
    if (!CHECK_TSAN)
        SKIP("races are found only in a ThreadSanitizer build (-DGORT_SANITIZE=thread)");
    int fd[2];
    CHECK_EQ_INT(pipe(fd), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 2);
        static char *argv[] = { (char *)"race_child", NULL };
        return gort_main(fn, 1, argv), false;
    }
    close(fd[1]);
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd[0], race_stderr + n, sizeof race_stderr - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n == sizeof race_stderr - 1)
            break;
    }
    race_stderr[n] = 0;
    close(fd[0]);
    int status = 0;
    CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
    race_status = WIFEXITED(status) ? WEXITSTATUS(status)
                : WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
    return strstr(race_stderr, "WARNING: ThreadSanitizer: data race") != NULL;
}

#endif
