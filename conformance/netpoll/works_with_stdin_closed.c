// The runtime and its poller work in a process started with descriptor 0
// closed (a daemon's stdin, `prog <&-`): the descriptors the runtime opens
// at start-up then take 0 and up, and 0 must be treated as a descriptor
// like any other.  (Here the poller's own epoll descriptor is not the one
// that gets 0 — strace shows 4 — so this does not pin down that
// particular check; mutation testing found it equivalent.)  A child closes
// stdin before the runtime starts, runs gort_main, passes a byte through a
// pipe with gort_write/gort_read between two goroutines, and exits 0; the
// parent checks its status.
#include "check.h"

#include <sys/wait.h>

static int p[2];

static void writer(void *arg)
{
    (void)arg;
    gort_sleep(MS(5));   /* the reader parks first */
    CHECK_EQ_INT(gort_write(p[1], "z", 1, NULL), 1);
}

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(pipe(p), 0);
    go(writer, NULL);
    char b = 0;
    CHECK_EQ_INT(gort_read(p[0], &b, 1, NULL), 1);
    CHECK_EQ_INT(b, 'z');
    return 0;
}

int main(int argc, char **argv)
{
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(0);
        _exit(gort_main(child_main, argc, argv));
    }
    int status;
    CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child with stdin closed ended with status 0x%x",
              status);
    printf("ok\n");
    return 0;
}
