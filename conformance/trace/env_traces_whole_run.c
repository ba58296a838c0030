// GORT_TRACE=FILE traces a whole run into FILE, from the main goroutine's
// creation to exit(): the child program's file is whole JSON (finished at
// exit), consistent, and holds main's GoCreate (goroutine 1), the child's
// goroutines and main's own park (a gort_sleep: its WaitGroup wait need not
// park, the workers may all be done by then, as under TSan they were).  A FILE that cannot be created gets a
// message naming it, and the program runs untraced.
#define TRACE_SUPPORT_PLAIN_MAIN 1   /* the runtime runs only in the children */
#include "trace_support.h"

static gort_waitgroup wg;
static void worker(void *arg) { (void)arg; gort_sleep(MS(1)); gort_wg_done(&wg); }

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 20);
    for (int i = 0; i < 20; i++) go(worker, NULL);
    gort_wg_wait(&wg);
    gort_sleep(MS(1));   /* main parks for certain */
    wait_num_goroutine_at_most(1, MS(5000));   /* the workers have ended, not just called Done */
    return 0;   /* exit(0): the trace is finished by the runtime */
}

int main(void)
{
    char path[64], err[4096];
    int fd = trace_tmpfile(path);
    close(fd);
    int st = run_gort_main_child_env(child_main, "GORT_TRACE", path, err, sizeof err);
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %#x, stderr:\n%s", st, err);
    char *s = trace_read_checked(path);
    CHECK_MSG(strstr(s, "\"name\":\"GoCreate\",\"args\":{\"g\":0,\"new\":1,") != NULL,
              "no GoCreate of the main goroutine: %.300s", s);
    CHECK_MSG(count_substr(s, "\"name\":\"GoCreate\"") >= 21, "%d GoCreate events", count_substr(s, "\"name\":\"GoCreate\""));
    CHECK_MSG(count_substr(s, "\"reason\":\"sleep\"") >= 20, "%d sleeps", count_substr(s, "\"reason\":\"sleep\""));
    CHECK_MSG(count_substr(s, "\"why\":\"end\"") >= 20, "%d ends", count_substr(s, "\"why\":\"end\""));
    CHECK_MSG(strstr(s, "\"args\":{\"g\":1,\"why\":\"park\",\"reason\":\"sleep\"}") != NULL,
              "main's park in gort_sleep is missing");
    free(s);
    unlink(path);

    const char *bad = "/nonexistent-gort-dir/trace.json";
    st = run_gort_main_child_env(child_main, "GORT_TRACE", bad, err, sizeof err);
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %#x, stderr:\n%s", st, err);
    CHECK_STR_CONTAINS(err, "gort: GORT_TRACE=/nonexistent-gort-dir/trace.json: cannot create the file: "
                            "No such file or directory; not tracing");
    return 0;
}
