// The deadlock is declared as soon as the last thread goes idle, not after
// a timeout: the process ends within a generous 2 s of the moment main
// blocks for ever (it is checked from outside, by the parent of a fork),
// and it ends with the deadlock report (`fatal error: all goroutines are
// asleep - deadlock!`, exit 2), not some other fatal error's exit 2.
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
    char path[] = "/tmp/gort-declared-XXXXXX";
    int errfd = mkstemp(path);           /* the child's stderr */
    CHECK(errfd >= 0);
    unlink(path);
    int64_t t0 = now_ns();
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        dup2(errfd, 2);
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
    char *err = file_to_string(errfd);
    CHECK(err != NULL);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 2, "child status %#x, want exit 2; its stderr:\n%s", status,
              err);
    CHECK_STR_CONTAINS(err, "fatal error: all goroutines are asleep - deadlock!");
    CHECK_STR_CONTAINS(err, "goroutine 1 [sync.WaitGroup.Wait]:");
    free(err);
    NOTE("deadlock declared after %lld ms\n", (long long)((now_ns() - t0) / 1000000));
    return 0;
}
