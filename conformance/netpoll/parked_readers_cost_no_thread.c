// A goroutine parked on a descriptor costs no OS thread: while 400
// goroutines wait in gort_read on 400 socketpairs (all shown as `[IO wait]`
// in gort_dump), gort_stats.threads stays small (<= GOMAXPROCS + 4) and so
// does the process's real thread count (/proc/self/status Threads,
// <= GOMAXPROCS + 8), sampled 10 times over 100 ms.  Then a byte to each
// wakes them all.
// gort-test: env=GOMAXPROCS=2
#include "np.h"

#define N 400

static int sv[N][2];
static gort_waitgroup wg;

static void reader(void *arg)
{
    int i = (int)(intptr_t)arg;
    char c = 0;
    CHECK_EQ_INT(gort_read(sv[i][0], &c, 1, NULL), 1);
    CHECK_EQ_INT(c, 'q');
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int procs = gort_gomaxprocs(0);
    for (int i = 0; i < N; i++) np_socketpair(sv[i]);   /* 800 descriptors: under the usual 1024 */
    gort_wg_add(&wg, N);
    for (intptr_t i = 0; i < N; i++) go(reader, (void *)i);
    int in_io = np_wait_io_waiters(N, MS(5000));
    CHECK_MSG(in_io == N, "%d of %d readers shown as [IO wait]", in_io, N);
    long max_stats = 0, max_os = 0;
    for (int k = 0; k < 10; k++) {
        gort_sleep(MS(10));
        gort_stats s = stats_now();
        if (s.threads > max_stats) max_stats = (long)s.threads;
        long t = os_thread_count();
        if (t > max_os) max_os = t;
    }
    NOTE("GOMAXPROCS %d: stats.threads up to %ld, OS threads up to %ld while %d goroutines wait on "
         "descriptors\n", procs, max_stats, max_os, N);
    CHECK_MSG(max_stats <= procs + 4, "stats.threads reached %ld with GOMAXPROCS %d", max_stats, procs);
    CHECK_MSG(max_os <= procs + 8, "the process had %ld threads with GOMAXPROCS %d", max_os, procs);
    for (int i = 0; i < N; i++) CHECK_EQ_INT(write(sv[i][1], "q", 1), 1);
    gort_wg_wait(&wg);
    for (int i = 0; i < N; i++) { close(sv[i][0]); close(sv[i][1]); }
    return 0;
}

GORT_MAIN(main_fn)
