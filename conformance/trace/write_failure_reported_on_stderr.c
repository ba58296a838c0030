// A trace whose descriptor cannot be written (here one open read-only)
// fails loudly, not silently: gort_trace_stop prints
// "gort: trace: writing the trace failed: Bad file descriptor" on stderr,
// and nothing on stdout, and the program goes on (a later trace to a
// good descriptor works).  stdout and stderr are redirected to files of
// the test's own around the stop.
#include "trace_support.h"

/* fd now writes into a new temporary file; returns the saved original. */
static int redirect(int fd, char *path)
{
    int saved = dup(fd);
    CHECK(saved >= 0);
    int tmp = trace_tmpfile(path);
    CHECK(dup2(tmp, fd) == fd);
    close(tmp);
    return saved;
}

static void restore(int fd, int saved)
{
    CHECK(dup2(saved, fd) == fd);
    close(saved);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    char path[64];
    int wfd = trace_tmpfile(path);
    int rfd = open(path, O_RDONLY | O_CLOEXEC);   /* a descriptor write(2) refuses: EBADF */
    CHECK(rfd >= 0);

    CHECK_EQ_INT(gort_trace_start(rfd), 0);
    for (int i = 0; i < 100; i++)
        trace_spawn_at(__FILE__, __LINE__);
    char out_path[64], err_path[64];
    fflush(stdout);
    int saved_out = redirect(1, out_path);
    int saved_err = redirect(2, err_path);
    gort_trace_stop();
    restore(2, saved_err);
    restore(1, saved_out);

    char *err = trace_read(err_path);
    char *out = trace_read(out_path);
    CHECK_MSG(strstr(err, "gort: trace: writing the trace failed: Bad file descriptor\n") != NULL,
              "stderr after the stop: \"%s\" (stdout: \"%s\")", err, out);
    CHECK_MSG(out[0] == 0, "stdout after the stop: \"%s\"", out);
    free(err);
    free(out);
    unlink(err_path);
    unlink(out_path);

    /* the failure is over with the stop: a trace to a good descriptor works */
    CHECK_EQ_INT(gort_trace_start(wfd), 0);
    trace_spawn_at(__FILE__, __LINE__);
    gort_trace_stop();
    char *s = trace_read_checked(path);
    CHECK_MSG(strstr(s, "\"name\":\"GoCreate\"") != NULL, "no creation in the second trace: %.200s", s);
    free(s);
    unlink(path);
    close(rfd);
    close(wfd);
    return 0;
}

GORT_MAIN(main_fn)
