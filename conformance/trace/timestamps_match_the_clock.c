// A trace's timestamps are real time: a goroutine that sleeps 100 ms is in
// the trace as a park (reason "sleep") and its next start at least 90 ms
// later, and no further apart than the goroutine itself measured around
// the call with gort_now, give or take the ticks-to-nanoseconds map's error
// (10% + 2 ms: the map is two clock reads a thread switch may separate, as
// under Valgrind; a map that took ticks for nanoseconds is off by the
// counter's frequency in GHz, 2-4x on today's CPUs).  Where
// the CPU's counter stamps the events (x86's TSC as the clocksource,
// AArch64), that checks the map from ticks to nanoseconds; elsewhere the
// stamps are nanotime() itself.  Both the stream (gort_trace_start) and a
// flight recorder's window (calibrated at each write) are checked.
#include "trace_support.h"

#define SLEEP_NS MS(100)

static gort_waitgroup wg;
static int64_t slept_ns;   /* gort_now() around the sleep, as the sleeper saw it */

static void sleeper(void *arg)
{
    (void)arg;
    int64_t t0 = gort_now();
    gort_sleep(SLEEP_NS);
    slept_ns = gort_now() - t0;
    gort_wg_done(&wg);
}

/* The "ts" (µs) of the event object that contains s[at]: the nearest
 * "ts": before it (every event has one, ahead of its name and args). */
static double ts_before(const char *s, const char *at)
{
    const char *best = NULL;
    for (const char *p = s; (p = strstr(p, "\"ts\":")) != NULL && p < at; p++)
        best = p;
    CHECK_MSG(best != NULL, "no \"ts\" before offset %td", at - s);
    return strtod(best + 5, NULL);
}

/* The time in ms between goroutine g's park for the sleep and its first
 * start after that, as the trace s has them. */
static double sleep_gap_ms(const char *s, uint64_t g)
{
    char park[96], start[32];
    snprintf(park, sizeof park, "\"args\":{\"g\":%llu,\"why\":\"park\",\"reason\":\"sleep\"}", (unsigned long long)g);
    snprintf(start, sizeof start, "\"name\":\"G%llu\"", (unsigned long long)g);
    const char *p = strstr(s, park);
    CHECK_MSG(p != NULL, "no park for the sleep of G%llu in the trace", (unsigned long long)g);
    CHECK_MSG(strstr(p + 1, park) == NULL, "two parks for the sleep of G%llu", (unsigned long long)g);
    double parked = ts_before(s, p);
    double next = -1;
    for (const char *q = s; (q = strstr(q, start)) != NULL; q++) {
        double t = ts_before(s, q);
        if (t > parked && (next < 0 || t < next))
            next = t;
    }
    CHECK_MSG(next >= 0, "G%llu never started again after its sleep", (unsigned long long)g);
    return (next - parked) / 1000.0;
}

static void check_gap(const char *what, double gap_ms)
{
    double measured_ms = (double)slept_ns / 1e6;
    CHECK_MSG(gap_ms >= 90.0, "%s: the 100 ms sleep spans %.3f ms in the trace", what, gap_ms);
    CHECK_MSG(gap_ms <= measured_ms * 1.1 + 2.0,
              "%s: the sleep spans %.3f ms in the trace, but the sleeper measured %.3f ms around it",
              what, gap_ms, measured_ms);
}

static uint64_t sleep_once(void)
{
    gort_wg_add(&wg, 1);
    uint64_t g = go(sleeper, NULL);
    gort_wg_wait(&wg);
    return g;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    char path[64];
    int fd = trace_tmpfile(path);
    CHECK_EQ_INT(gort_trace_start(fd), 0);
    uint64_t g = sleep_once();
    gort_trace_stop();
    char *s = trace_read_checked(path);
    check_gap("trace", sleep_gap_ms(s, g));
    free(s);
    unlink(path);
    close(fd);

    fd = trace_tmpfile(path);
    CHECK_EQ_INT(gort_flight_recorder_start(1 << 20), 0);
    g = sleep_once();
    CHECK_EQ_INT(gort_flight_recorder_write(fd), 0);
    gort_flight_recorder_stop();
    s = trace_read_checked(path);
    check_gap("flight recorder", sleep_gap_ms(s, g));
    free(s);
    unlink(path);
    close(fd);
    return 0;
}

GORT_MAIN(main_fn)
