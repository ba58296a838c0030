// bench/quick/quick_core.c — a quick timing check of the runtime core, used while
// building it (the real benchmark suite, with Google Benchmark, Go and
// pthread peers and plots, is its own piece of work).  Each figure is the
// median of REPS runs, printed with its min and max so the noise is visible.
//
//   build/bench/quick_core [reps]
#include <gort.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static int reps = 7;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, double *v)
{
    qsort(v, (size_t)reps, sizeof *v, cmp_double);
    printf("%-44s median %9.1f ns   (min %9.1f, max %9.1f, %d runs)\n", name, v[reps / 2], v[0],
           v[reps - 1], reps);
    fflush(stdout);
}

/* ---- spawn ---- */
static gort_waitgroup wg;
static void nop(void *arg) { (void)arg; gort_wg_done(&wg); }

static double spawn_one_at_a_time(int n)
{
    int64_t t = gort_now();
    for (int i = 0; i < n; i++) {
        gort_wg_add(&wg, 1);
        go(nop, NULL);
        gort_wg_wait(&wg);
    }
    return (double)(gort_now() - t) / n;
}

static double spawn_batch(int n)
{
    int64_t t = gort_now();
    gort_wg_add(&wg, n);
    for (int i = 0; i < n; i++)
        go(nop, NULL);
    gort_wg_wait(&wg);
    return (double)(gort_now() - t) / n;
}

static void *pnop(void *arg) { return arg; }

static double pthread_create_join(int n, size_t stack)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (stack)
        pthread_attr_setstacksize(&attr, stack);
    int64_t t = gort_now();
    for (int i = 0; i < n; i++) {
        pthread_t th;
        if (pthread_create(&th, &attr, pnop, NULL) != 0) {
            perror("pthread_create");
            exit(1);
        }
        pthread_join(th, NULL);
    }
    pthread_attr_destroy(&attr);
    return (double)(gort_now() - t) / n;
}

/* ---- yield ---- */
static void yielder(void *arg)
{
    long n = (long)arg;
    for (long i = 0; i < n; i++)
        gort_yield();
    gort_wg_done(&wg);
}

static double yield_pair(long n)
{
    int64_t t = gort_now();
    gort_wg_add(&wg, 2);
    go(yielder, (void *)n);
    go(yielder, (void *)n);
    gort_wg_wait(&wg);
    return (double)(gort_now() - t) / (2.0 * n);
}

/* ---- mutex hand-off between two goroutines ---- */
static gort_mutex mu;
static long shared;
static void locker(void *arg)
{
    long n = (long)arg;
    for (long i = 0; i < n; i++) {
        gort_mutex_lock(&mu);
        shared++;
        gort_mutex_unlock(&mu);
    }
    gort_wg_done(&wg);
}

static double mutex_contended(long n)
{
    int64_t t = gort_now();
    gort_wg_add(&wg, 2);
    go(locker, (void *)n);
    go(locker, (void *)n);
    gort_wg_wait(&wg);
    return (double)(gort_now() - t) / (2.0 * n);
}

/* ---- sleep accuracy ---- */
static double sleep_1ms_overshoot(void)
{
    int64_t t = gort_now();
    gort_sleep(1000000);
    return (double)(gort_now() - t - 1000000);
}

static int run(int argc, char **argv)
{
    if (argc > 1)
        reps = atoi(argv[1]) > 0 ? atoi(argv[1]) : reps;
    double v[64];
    if (reps > 64)
        reps = 64;
    int procs = gort_gomaxprocs(0);
    printf("gort quick core timings: GOMAXPROCS=%d, %d CPUs\n", procs, gort_num_cpu());

    for (int r = 0; r < reps; r++) v[r] = spawn_one_at_a_time(200000);
    report("spawn+run+exit, one at a time", v);
    for (int r = 0; r < reps; r++) v[r] = spawn_batch(100000);
    report("spawn+run+exit, batches of 100,000", v);
    for (int r = 0; r < reps; r++) v[r] = pthread_create_join(2000, 0);
    report("pthread_create+join (default stack)", v);
    for (int r = 0; r < reps; r++) v[r] = pthread_create_join(2000, 16384);
    report("pthread_create+join (16 KiB stack)", v);

    gort_gomaxprocs(1);
    for (int r = 0; r < reps; r++) v[r] = yield_pair(2000000);
    report("yield between two goroutines, 1 P", v);
    for (int r = 0; r < reps; r++) v[r] = mutex_contended(1000000);
    report("Mutex lock+unlock, 2 goroutines, 1 P", v);
    gort_gomaxprocs(procs);
    for (int r = 0; r < reps; r++) v[r] = mutex_contended(1000000);
    report("Mutex lock+unlock, 2 goroutines, all Ps", v);
    for (int r = 0; r < reps; r++) {
        double s[21];
        for (int i = 0; i < 21; i++) s[i] = sleep_1ms_overshoot();
        qsort(s, 21, sizeof *s, cmp_double);
        v[r] = s[10];
    }
    report("gort_sleep(1 ms): overshoot past 1 ms", v);
    return 0;
}

GORT_MAIN(run)
