// A sleeping goroutine costs no OS thread: while 10,000 goroutines sleep
// 200 ms, gort_stats.threads stays small (<= GOMAXPROCS + 4) and so does the
// process's real thread count (/proc/self/status Threads).
#include "check.h"

#define N 10000

static gort_waitgroup wg;
static void sleeper(void *arg) { (void)arg; gort_sleep(MS(200)); gort_wg_done(&wg); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int procs = gort_gomaxprocs(0);
    gort_wg_add(&wg, N);
    for (int i = 0; i < N; i++) go(sleeper, NULL);
    long max_stats = 0, max_os = 0;
    for (int k = 0; k < 10; k++) {
        gort_sleep(MS(10));
        gort_stats s = stats_now();
        if (s.threads > max_stats) max_stats = s.threads;
        long t = os_thread_count();
        if (t > max_os) max_os = t;
    }
    NOTE("GOMAXPROCS %d: stats.threads up to %ld, OS threads up to %ld while 10,000 sleep\n", procs, max_stats, max_os);
    CHECK_MSG(max_stats <= procs + 4, "stats.threads reached %ld with GOMAXPROCS %d", max_stats, procs);
    CHECK_MSG(max_os <= procs + 8, "the process had %ld threads with GOMAXPROCS %d", max_os, procs);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
