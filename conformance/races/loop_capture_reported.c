// The Go lesson's loop-variable capture bug (Go before 1.22:
// `for i := 0; i < n; i++ { go func() { use(i) }() }`), in C: every worker
// gets the address of the one loop counter, `go(worker, &i)`, and reads *arg
// while the spawning loop goes on incrementing i.  The loop's i++ after a
// go() is not ordered before that goroutine's read (go() orders only what
// came before it), so the ThreadSanitizer build reports the race, with the
// loop's write and the worker's read.  Besides, the workers see whatever i
// is by then (often N), not their own index.  GOMAXPROCS=1: the workers run
// only after the loop is done, and TSan still sees it (each goroutine is its
// own fiber).  The fix: loop_capture_copy_clean.c.
// gort-test: env=GOMAXPROCS=1
#include "races/race_run.h"

#define N 4

static int seen[N];
static gort_waitgroup wg;

static void worker(void *arg)
{
    int id = *(int *)arg;           /* races with the loop's i++ */
    if (id >= 0 && id < N) seen[id]++;
    gort_wg_done(&wg);
}

static int racy(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, N);
    for (int i = 0; i < N; i++)
        go(worker, &i);             /* BUG: every worker shares this i */
    gort_wg_wait(&wg);              /* i's frame outlives the workers */
    return 0;
}

int main(void)
{
    CHECK_MSG(race_run(racy), "the shared loop variable was not reported; stderr:\n%s", race_stderr);
    CHECK_MSG(race_status == RACE_REPORTED_STATUS, "the racy program ended with status %d, not TSan's %d "
              "after a report:\n%s", race_status, RACE_REPORTED_STATUS, race_stderr);
    CHECK_MSG(strstr(race_stderr, "Previous write") || strstr(race_stderr, "Previous read"),
              "the report lacks the other goroutine's access:\n%s", race_stderr);
    CHECK_STR_CONTAINS(race_stderr, "loop_capture_reported.c");
    CHECK_STR_CONTAINS(race_stderr, "worker");
    return 0;
}
