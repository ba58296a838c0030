// Program code that libc calls back is the program's own code: a goroutine
// that spends its time in such a callback is preempted like any other, even
// though libc's frames are below it on its stack.  GOMAXPROCS=1, a goroutine
// runs for about 300 ms inside
//   1. qsort(3), in the comparison function (slowed down on purpose);
//   2. dl_iterate_phdr(3), in the callback (libc holds the dynamic loader's
//      lock around it, which nothing in the runtime may wait for meanwhile);
// while main sleeps 10 ms at a time: the sleeps wake within 50 ms of their
// time (median; worst under 500 ms, see pre.h), and the callback goroutine
// finishes with the right result.
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=30
#include "pre.h"

#include <link.h>

#define N 4096
#define RUN_MS 300

static int keys[N];
static volatile unsigned slow = 200;
static _Atomic int running, finished;
static int64_t run_ns;
static gort_waitgroup wg;

static int cmp_slowly(const void *a, const void *b)
{
    for (volatile unsigned k = 0; k < slow; k++) { }
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void in_qsort(void *arg)
{
    (void)arg;
    ST(running, 1);
    qsort(keys, N, sizeof keys[0], cmp_slowly);
    for (int i = 1; i < N; i++) CHECK_MSG(keys[i - 1] <= keys[i], "qsort left keys %d and %d out of order", i - 1, i);
    ST(finished, 1);
    gort_wg_done(&wg);
}

static int phdr_callback(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    int *objects = arg;
    if (++*objects == 1) {   /* the first object: stay a while */
        int64_t end = now_ns() + run_ns;
        while (now_ns() < end)
            for (volatile int k = 0; k < 1000; k++) { }
    }
    return info == NULL;   /* go on */
}

static void in_dl_iterate_phdr(void *arg)
{
    (void)arg;
    int objects = 0;
    ST(running, 1);
    dl_iterate_phdr(phdr_callback, &objects);
    CHECK_MSG(objects >= 2, "dl_iterate_phdr saw %d objects", objects);
    ST(finished, 1);
    gort_wg_done(&wg);
}

static void run_case(void (*fn)(void *), const char *what)
{
    ST(running, 0);
    ST(finished, 0);
    gort_wg_add(&wg, 1);
    go(fn, NULL);
    int64_t late[64];
    int n = 0;
    while (!LD(finished) && n < 64) {   /* the first sleep lets it start */
        int64_t t0 = now_ns();
        gort_sleep(MS(10));
        late[n++] = now_ns() - t0 - MS(10);
    }
    gort_wg_wait(&wg);
    CHECK_MSG(LD(running), "%s: the goroutine never ran", what);
    pre_check_lateness(late, n, what);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    pre_watchdog_start(MS(10000), "main asleep while a goroutine runs libc callbacks");
    /* calibrate the comparison so that the sort takes about RUN_MS */
    uint64_t rnd = 1;
    for (int i = 0; i < N; i++) keys[i] = (int)(rand_next(&rnd) % 100000);
    int64_t t0 = now_ns();
    qsort(keys, 256, sizeof keys[0], cmp_slowly);
    int64_t dt = now_ns() - t0;
    double per_cmp = (double)(dt > 0 ? dt : 1) / (256 * 8);
    slow = (unsigned)((double)slow * (double)MS(RUN_MS) / (per_cmp * N * 12));
    if (slow < 10) slow = 10;
    for (int i = 0; i < N; i++) keys[i] = (int)(rand_next(&rnd) % 100000);
    run_case(in_qsort, "sleeps while a goroutine sorts with qsort");
    run_ns = MS(RUN_MS);
    run_case(in_dl_iterate_phdr, "sleeps while a goroutine is in a dl_iterate_phdr callback");
    pre_watchdog_stop();
    return 0;
}

GORT_MAIN(main_fn)
