// Descriptor 0 is a descriptor like any other: a program that closed its
// stdin and opened a file in its place can trace into it
// (gort_trace_start(0) returns 0 and the trace lands in the file) and write
// a flight recorder's window to it (gort_flight_recorder_write(0) returns
// 0); only a negative descriptor is -EBADF.
#include "trace_support.h"

/* A new temporary file as descriptor 0; its path in path. */
static void file_as_stdin(char *path)
{
    int fd = trace_tmpfile(path);
    CHECK(dup2(fd, 0) == 0);
    close(fd);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    char path[64];
    file_as_stdin(path);
    CHECK_EQ_INT(gort_trace_start(0), 0);
    trace_spawn_at("traced_into_fd_zero.c", 3);
    gort_trace_stop();
    char *s = trace_read_checked(path);
    CHECK_MSG(strstr(s, "traced_into_fd_zero.c:3") != NULL, "the trace in fd 0 lacks the creation: %.300s", s);
    free(s);
    unlink(path);

    file_as_stdin(path);
    CHECK_EQ_INT(gort_flight_recorder_start(1 << 20), 0);
    trace_spawn_at("recorded_for_fd_zero.c", 3);
    CHECK_EQ_INT(gort_flight_recorder_write(0), 0);
    CHECK_EQ_INT(gort_flight_recorder_write(-1), -EBADF);
    gort_flight_recorder_stop();
    s = trace_read_checked(path);
    CHECK_MSG(strstr(s, "\"mode\":\"flight\"") != NULL, "not a flight window: %.200s", s);
    CHECK_MSG(strstr(s, "recorded_for_fd_zero.c:3") != NULL, "the window in fd 0 lacks the creation: %.300s", s);
    free(s);
    unlink(path);
    return 0;
}

GORT_MAIN(main_fn)
