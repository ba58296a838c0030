// Stopping a trace or a flight recorder gives back every buffer it mapped:
// after each of 20 rounds of a trace and 20 of a flight recorder over a
// busy phase (enough events to fill and swap buffers), no trace buffer is
// mapped, and while one ran some were.  Buffers are counted by the tracer
// itself (trace_test_buffers_mapped), since each is its own mmap.
#include "export_test.h"

#include <fcntl.h>

static gort_waitgroup wg;
static void quick(void *arg) { (void)arg; gort_yield(); gort_wg_done(&wg); }

/* ~3 buffers' worth of events: 1,000 goroutines, one after another. */
static void busy_phase(void)
{
    for (int i = 0; i < 1000; i++) {
        gort_wg_add(&wg, 1);
        go(quick, NULL);
        gort_wg_wait(&wg);
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    CHECK(fd >= 0);
    CHECK_EQ_INT(trace_test_buffers_mapped(), 0);
    for (int round = 0; round < 20; round++) {
        CHECK_EQ_INT(gort_trace_start(fd), 0);
        busy_phase();
        int during = trace_test_buffers_mapped();
        gort_trace_stop();
        CHECK_MSG(during > 0, "trace round %d: no buffer mapped while it ran", round);
        CHECK_MSG(trace_test_buffers_mapped() == 0, "trace round %d: %d buffers still mapped after the stop "
                  "(%d while it ran)", round, trace_test_buffers_mapped(), during);

        CHECK_EQ_INT(gort_flight_recorder_start(4 * 64 * 1024), 0);
        busy_phase();
        CHECK_EQ_INT(gort_flight_recorder_write(fd), 0);
        during = trace_test_buffers_mapped();
        gort_flight_recorder_stop();
        CHECK_MSG(during > 0, "flight round %d: no buffer mapped while it ran", round);
        CHECK_MSG(trace_test_buffers_mapped() == 0, "flight round %d: %d buffers still mapped after the stop "
                  "(%d while it ran)", round, trace_test_buffers_mapped(), during);
    }
    close(fd);
    return 0;
}

GORT_MAIN(main_fn)
