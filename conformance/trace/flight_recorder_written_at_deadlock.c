// When a deadlock is reported while the flight recorder runs, the window is
// written to GORT_FLIGHT_FILE and the report says where: the file holds the
// moments before the failure (the workers' ends, main parking on the
// channel receive that never completes) and passes trace_check.py.  A
// trace started with GORT_TRACE is finished (whole JSON) when the program
// dies of an unrecovered panic.
#define TRACE_SUPPORT_PLAIN_MAIN 1   /* the runtime runs only in the children */
#include "trace_support.h"

static gort_waitgroup wg;
static void worker(void *arg) { (void)arg; gort_yield(); gort_wg_done(&wg); }

static int deadlock_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_flight_recorder_start(1 << 20), 0);
    gort_wg_add(&wg, 50);
    for (int i = 0; i < 50; i++) go(worker, NULL);
    gort_wg_wait(&wg);
    gort_chan *c = gort_chan_make(sizeof(int), 0);
    int v;
    gort_chan_recv(c, &v);   /* nobody sends: deadlock */
    return 0;
}

static void panicker(void *arg) { (void)arg; gort_panic("boom at the end"); }

static int panic_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 10);
    for (int i = 0; i < 10; i++) go(worker, NULL);
    gort_wg_wait(&wg);
    go(panicker, NULL);
    gort_sleep(MS(10000));
    return 0;
}

int main(void)
{
    static char err[1 << 16];
    char path[64];
    close(trace_tmpfile(path));
    int st = run_gort_main_child_env(deadlock_main, "GORT_FLIGHT_FILE", path, err, sizeof err);
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 2, "child status %#x, stderr:\n%s", st, err);
    CHECK_STR_CONTAINS(err, "fatal error: all goroutines are asleep - deadlock!");
    char want[128];
    snprintf(want, sizeof want, "gort: flight recorder: the last moments' trace is in %s\n", path);
    CHECK_STR_CONTAINS(err, want);
    char *s = trace_read_checked(path);
    CHECK_MSG(strstr(s, "\"mode\":\"flight\"") != NULL, "not a flight window");
    CHECK_MSG(strstr(s, "\"args\":{\"g\":1,\"why\":\"park\",\"reason\":\"chan receive\"}") != NULL,
              "main's last park (chan receive) is not in the window");
    CHECK_MSG(count_substr(s, "\"why\":\"end\"") >= 50, "%d goroutine ends in the window",
              count_substr(s, "\"why\":\"end\""));
    free(s);

    CHECK_EQ_INT(truncate(path, 0), 0);
    st = run_gort_main_child_env(panic_main, "GORT_TRACE", path, err, sizeof err);
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 2, "child status %#x, stderr:\n%s", st, err);
    CHECK_STR_CONTAINS(err, "panic: boom at the end");
    s = trace_read_checked(path);
    CHECK_MSG(count_substr(s, "\"why\":\"end\"") >= 10, "the workers' ends are missing");
    free(s);
    unlink(path);
    return 0;
}
