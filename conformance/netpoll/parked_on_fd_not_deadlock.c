// A program whose every goroutine is blocked, one of them parked on a
// descriptor, is not deadlocked: another process could still make the
// descriptor ready.  Main waits on a WaitGroup; the only other goroutine
// parks in gort_read on a pipe whose write end only a forked child holds
// (no timer pending, no plain thread: only the poller can wake anyone).
// Main first checks that gort_dump shows the reader parked in the poller
// (`[IO wait]`; a reader blocking its thread in read(2) would keep an M busy,
// and then no deadlock could be declared whatever the rule), then tells the
// child to go on (a byte on a second pipe) and blocks.  The child writes a
// byte 200 ms later and exits; the reader gets it (after >= 150 ms), then
// EOF; main prints and the program exits 0 — no "all goroutines are asleep"
// report.
// gort-test: stdout=^read from the child$
// gort-test: timeout=20
#include "np.h"

#include <sys/wait.h>

static int p[2], go_on[2];
static gort_waitgroup wg;
static int64_t waited;

static void reader(void *arg)
{
    (void)arg;
    char c = 0;
    int64_t t0 = now_ns();
    ssize_t r = gort_read(p[0], &c, 1, NULL);
    waited = now_ns() - t0;
    CHECK_MSG(r == 1 && c == 'c', "gort_read returned %zd (%s)", r, np_strerror(r));
    CHECK_EQ_INT(gort_read(p[0], &c, 1, NULL), 0);    /* the child has exited: EOF */
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(pipe2(p, O_CLOEXEC), 0);
    CHECK_EQ_INT(pipe2(go_on, O_CLOEXEC), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        close(go_on[1]);
        char g;
        if (read(go_on[0], &g, 1) != 1) _exit(2);
        struct timespec ts = { 0, 200 * 1000000L };
        nanosleep(&ts, NULL);
        _exit(write(p[1], "c", 1) == 1 ? 0 : 1);
    }
    CHECK_EQ_INT(close(p[1]), 0);
    CHECK_EQ_INT(close(go_on[0]), 0);
    gort_wg_add(&wg, 1);
    go(reader, NULL);
    int parked = np_wait_io_waiters(1, MS(5000));
    CHECK_MSG(parked == 1, "%d goroutines in [IO wait]: the reader is not parked in the poller", parked);
    CHECK_EQ_INT(write(go_on[1], "g", 1), 1);      /* the child's 200 ms start now */
    gort_wg_wait(&wg);
    CHECK_MSG(waited >= MS(150), "gort_read returned after %lld us, before the child wrote",
              (long long)(waited / 1000));
    int status = 0;
    CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child ended with status %#x", status);
    printf("read from the child\n");
    return 0;
}

GORT_MAIN(main_fn)
