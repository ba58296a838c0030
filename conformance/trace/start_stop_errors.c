// The trace and the flight recorder run one at a time, and misuse gets an
// error value, never a crash: a second start is -EBUSY (either kind), a
// negative fd -EBADF, a recorder of 0 bytes -EINVAL, writing a recorder
// that is not running -EINVAL; stopping what is not running does nothing;
// after a stop the other kind starts.  What was recorded is there: a
// goroutine created while each ran (its creation site names which).
#include "trace_support.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    char path[64];
    int fd = trace_tmpfile(path);
    CHECK_EQ_INT(gort_trace_start(-1), -EBADF);
    CHECK_EQ_INT(gort_flight_recorder_start(0), -EINVAL);
    CHECK_EQ_INT(gort_flight_recorder_write(fd), -EINVAL);   /* not running */
    gort_trace_stop();                                        /* nothing runs: no-op */
    gort_flight_recorder_stop();

    CHECK_EQ_INT(gort_trace_start(fd), 0);
    CHECK_EQ_INT(gort_trace_start(fd), -EBUSY);
    CHECK_EQ_INT(gort_flight_recorder_start(1 << 20), -EBUSY);
    CHECK_EQ_INT(gort_flight_recorder_write(fd), -EINVAL);   /* a trace, not a recorder */
    gort_flight_recorder_stop();                              /* not the recorder's: the trace goes on */
    trace_spawn_at("made_while_tracing.c", 7);
    gort_trace_stop();
    gort_trace_stop();

    char *s = trace_read_checked(path);
    CHECK_MSG(strstr(s, "\"mode\":\"trace\"") != NULL, "not a trace: %.200s", s);
    CHECK_MSG(strstr(s, "\"site\":\"made_while_tracing.c:7\"") != NULL, "the goroutine made while tracing is missing");
    free(s);

    CHECK_EQ_INT(gort_flight_recorder_start(1 << 20), 0);
    CHECK_EQ_INT(gort_flight_recorder_start(1 << 20), -EBUSY);
    CHECK_EQ_INT(gort_trace_start(fd), -EBUSY);
    CHECK_EQ_INT(gort_flight_recorder_write(-1), -EBADF);
    gort_trace_stop();                                        /* not the trace's: the recorder goes on */
    trace_spawn_at("made_while_recording.c", 7);
    CHECK_EQ_INT(ftruncate(fd, 0), 0);
    CHECK_EQ_INT((int)lseek(fd, 0, SEEK_SET), 0);
    CHECK_EQ_INT(gort_flight_recorder_write(fd), 0);
    gort_flight_recorder_stop();
    CHECK_EQ_INT(gort_flight_recorder_write(fd), -EINVAL);
    s = trace_read_checked(path);
    CHECK_MSG(strstr(s, "\"mode\":\"flight\"") != NULL, "not a flight recorder window: %.200s", s);
    CHECK_MSG(strstr(s, "\"site\":\"made_while_recording.c:7\"") != NULL, "the goroutine made while recording is missing");
    free(s);

    /* and a trace can start again */
    CHECK_EQ_INT(gort_trace_start(fd), 0);
    gort_trace_stop();
    unlink(path);
    close(fd);
    return 0;
}

GORT_MAIN(main_fn)
