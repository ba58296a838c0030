// The deadlock is declared as soon as the last thread goes idle, not after
// a timeout: the process ends within a generous 2 s of the moment main
// blocks for ever (it is checked from outside, by the parent of a fork).
#include "check.h"

#include <sys/wait.h>

static gort_waitgroup never;

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&never, 1);
    gort_wg_wait(&never);
    return 0;
}

int main(void)
{
    SKIP_UNDER_VALGRIND("a 2 s bound from fork to exit: Valgrind's leak check at exit alone takes seconds");
    int64_t t0 = now_ns();
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        return gort_main(child_main, 0, NULL);
    }
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        CHECK(r >= 0);
        if (r == pid) break;
        if (now_ns() - t0 > MS(2000)) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            CHECK_MSG(false, "no deadlock declared within 2 s");
        }
        usleep(1000);
    }
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 2, "child status %#x, want exit 2", status);
    NOTE("deadlock declared after %lld ms\n", (long long)((now_ns() - t0) / 1000000));
    return 0;
}
