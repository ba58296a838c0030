// gort_leakcheck shows where each leaked goroutine is parked, as Go's
// goroutine dump does: under `goroutine N [chan receive]:` come the public
// call it blocks in (gort_chan_recv) and then the program's frames, callee
// first, each `FUNCTION(...)` with a tab-indented `FILE:LINE +0xOFFSET`
// naming the line of the call, then `created by FILE:LINE`.  A parked
// goroutine's stack is walked along its frame pointers from where it
// switched away; the runtime's frames below the switch (park, the switch
// itself) and the goroutine's entry are not shown.  Also for a goroutine
// parked in gort_sleep and one in gort_wg_wait, in the same report.
#include "leaks/leak_capture.h"

static gort_chan *jobs;
static gort_waitgroup never;
/* written by the goroutines, read by main after they parked: atomics */
static _Atomic int recv_line, sleep_line, wait_line, wait_for_job_line;

__attribute__((noinline)) void lk_wait_for_job(int *job)
{
    recv_line = __LINE__ + 1;
    gort_chan_recv(jobs, job);
    __asm__ volatile("");   /* no tail call: this frame stays */
}

void lk_worker(void *arg)
{
    (void)arg;
    int job;
    wait_for_job_line = __LINE__ + 1;
    lk_wait_for_job(&job);
    __asm__ volatile("");
}

void lk_napper(void *arg)
{
    (void)arg;
    sleep_line = __LINE__ + 1;
    gort_sleep(MS(60000));
    __asm__ volatile("");
}

void lk_waiter(void *arg)
{
    (void)arg;
    wait_line = __LINE__ + 1;
    gort_wg_wait(&never);
    __asm__ volatile("");
}

/* In `block`: FUNC(...) followed by its location line; returns the frame. */
static const char *frame_in(const char *block, const char *func, int line)
{
    char want[96];
    snprintf(want, sizeof want, "\n%s(...)\n\t", func);
    const char *f = strstr(block, want);
    CHECK_MSG(f != NULL, "no frame %s in:\n%s", func, block);
    f++;
#ifdef GORT_TEST_HAVE_LINES
    if (line > 0) {
        const char *loc = strchr(f, '\t');
        const char *eol = strchr(loc, '\n');
        char got[256], site[96];
        snprintf(got, sizeof got, "%.*s", (int)(eol - loc), loc);
        snprintf(site, sizeof site, "/leakcheck_shows_where_parked.c:%d +0x", line);
        CHECK_MSG(strstr(got, site) != NULL, "%s's location \"%s\" is not line %d:\n%s",
                  func, got, line, block);
    }
#else
    (void)line;
#endif
    return f;
}

static void check_block(const char *report, uint64_t id, const char *state,
                        const char *api, const char *user_fn, int line)
{
    char buf[8192];
    const char *b = goroutine_block(report, id, buf, sizeof buf);
    CHECK_MSG(b != NULL, "goroutine %llu missing from:\n%s", (unsigned long long)id, report);
    CHECK_MSG(strstr(b, state) != NULL, "goroutine %llu is not [%s]:\n%s",
              (unsigned long long)id, state, b);
    /* the first frame is the public call it blocks in */
    const char *first = strchr(b, '\n');
    char want[64];
    snprintf(want, sizeof want, "\n%s(...)\n\t", api);
    CHECK_MSG(first && strncmp(first, want, strlen(want)) == 0,
              "goroutine %llu's first frame is not %s:\n%s", (unsigned long long)id, api, b);
    const char *f = frame_in(b, user_fn, line);
    CHECK_MSG(strstr(b, "created by ") > f, "no `created by` after the frames:\n%s", b);
    CHECK_MSG(!strstr(b, "goroutine_entry") && !strstr(b, "gort_ctx_switch") &&
              !strstr(b, "park_g") && !strstr(b, "switch_from"),
              "runtime-internal frames shown:\n%s", b);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    jobs = gort_chan_make(sizeof(int), 0);
    gort_wg_add(&never, 1);
    uint64_t w = go(lk_worker, NULL);
    uint64_t s = go(lk_napper, NULL);
    uint64_t v = go(lk_waiter, NULL);
    gort_sleep(MS(20));   /* all three parked */

    char *report = NULL;
    int n = leakcheck_capture(MS(10), &report, NULL);
    CHECK_EQ_INT(n, 3);

    check_block(report, w, "[chan receive]", "gort_chan_recv", "lk_wait_for_job", recv_line);
    frame_in(strstr(report, "lk_wait_for_job(...)"), "lk_worker", wait_for_job_line);
    check_block(report, s, "[sleep]", "gort_sleep", "lk_napper", sleep_line);
    check_block(report, v, "[sync.WaitGroup.Wait]", "gort_wg_wait", "lk_waiter", wait_line);
#ifndef GORT_TEST_HAVE_LINES
    NOTE("built without libdw: function names checked, FILE:LINE not\n");
#endif
    free(report);

    int job = 1;
    gort_chan_send(jobs, &job);
    gort_wg_done(&never);
    return 0;   /* the napper is left asleep: main's return ends it */
}

GORT_MAIN(main_fn)
