// The flight recorder keeps about the last N bytes of trace, not the whole
// run: after a phase whose goroutines come from one line and a longer
// phase from another, the window written holds the second phase's
// creations and none of the first's, and no more events than the ring and
// the threads' buffers hold (a 64 KiB buffer is 1,360 events).  The window
// passes trace_check.py, also after phases that kept both Ps busy, and
// writing it does not stop the recorder.
#include "trace_support.h"

static gort_waitgroup wg;
static void quick(void *arg) { (void)arg; gort_yield(); gort_wg_done(&wg); }

/* n goroutines one after another (creations spread over the phase). */
static void phase(int n, int which)
{
    for (int i = 0; i < n; i++) {
        gort_wg_add(&wg, 1);
        if (which == 1)
            gort_go_at(quick, NULL, NULL, "phase_one.c", 1);
        else
            gort_go_at(quick, NULL, NULL, "phase_two.c", 2);
        gort_wg_wait(&wg);
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    const size_t window = 4 * 64 * 1024;   /* four buffers */
    CHECK_EQ_INT(gort_flight_recorder_start(window), 0);
    phase(2000, 1);    /* ~6 events per goroutine: 12,000, more than the window */
    phase(5000, 2);    /* 30,000 */

    char path[64];
    int fd = trace_tmpfile(path);
    CHECK_EQ_INT(gort_flight_recorder_write(fd), 0);
    char *s = trace_read_checked(path);
    int one = count_substr(s, "\"site\":\"phase_one.c:1\"");
    int two = count_substr(s, "\"site\":\"phase_two.c:2\"");
    CHECK_MSG(one == 0, "%d creations of the first phase are still in the window", one);
    CHECK_MSG(two > 100, "only %d creations of the last phase in the window", two);
    int events = count_substr(s, "\"ph\":\"") - count_substr(s, "\"ph\":\"M\"");
    long threads = os_thread_count();
    /* the ring (4 buffers) plus one partial buffer per thread at most */
    CHECK_MSG(events <= (4 + threads + 1) * 1360, "%d events in a window of 4 buffers and %ld threads", events,
              threads);
    CHECK_MSG(events >= 2 * 1360, "only %d events in the window", events);
    free(s);

    /* still recording: a later window holds later events */
    CHECK_EQ_INT(ftruncate(fd, 0), 0);
    CHECK_EQ_INT((int)lseek(fd, 0, SEEK_SET), 0);
    phase(3000, 1);
    CHECK_EQ_INT(gort_flight_recorder_write(fd), 0);
    s = trace_read_checked(path);
    CHECK_MSG(count_substr(s, "\"site\":\"phase_one.c:1\"") > 100, "the recorder stopped after the first write");
    free(s);
    /* Both Ps busy at once, then a slow trickle on one thread: the threads'
     * current buffers then hold events from before the ring's oldest, and
     * the window must start late enough to be whole (trace_check.py). */
    for (int round = 0; round < 3; round++) {
        gort_wg_add(&wg, 4000);
        for (int i = 0; i < 4000; i++)
            gort_go_at(quick, NULL, NULL, "parallel.c", 3);
        gort_wg_wait(&wg);
        phase(300, 2);
        CHECK_EQ_INT(ftruncate(fd, 0), 0);
        CHECK_EQ_INT((int)lseek(fd, 0, SEEK_SET), 0);
        CHECK_EQ_INT(gort_flight_recorder_write(fd), 0);
        trace_check_ok(path);
    }
    gort_flight_recorder_stop();
    unlink(path);
    close(fd);
    return 0;
}

GORT_MAIN(main_fn)
