/*
 * pool.c — the worker pool (bench/SUITE.md, group `pool`): 4 workers take
 * jobs from one queue; the producer (the benchmark's own task) submits
 * `jobs` jobs, closes the queue and waits for the workers.  Each job is
 * work(i) below, summed per worker.
 *
 *   pool/gort/jobs:1000000/procs:P   the queue is a gort_chan of int64_t,
 *                                    capacity 256; the workers are goroutines;
 *                                    GOMAXPROCS = P (1, 2, and the CPU count)
 *   pool/pthread/jobs:1000000        the queue is a ring of 256 under a mutex
 *                                    with condvars not-empty / not-full; the
 *                                    workers are 4 pthreads
 *
 * One iteration is one whole run of the pool: the 4 workers are created,
 * the producer sends the 1,000,000 jobs (the numbers 0 .. jobs-1) and
 * closes the queue, the workers drain it, each adds up work(i) of its jobs,
 * and the producer waits for them and adds their 4 sums.  Creating 4
 * workers per iteration (a few µs for goroutines, ~4 × 40 µs for pthreads)
 * is lost in the run (tens of ms), and keeps "closes the queue, waits for
 * the workers" literal.  The total is checked against the sum computed
 * once, serially, before the first benchmark (a lost or doubled job fails
 * the run), and is passed through gbench_do_not_optimize so that the work
 * is done.
 *
 * Every benchmark reports `per_job` (seconds per job) and items_per_second
 * (jobs/s).  Times are wall-clock; CPU is the whole process's.  The gort
 * loop runs inside one goroutine (gort_run from the benchmark function),
 * as in spawn.c.
 *
 *   build/bench/bench_pool [--benchmark_filter=pool/gort] [--benchmark_format=json]
 */
#define _GNU_SOURCE
#include <gort.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "ring.h"

enum { WORKERS = 4, QUEUE_CAP = 256, JOBS = 1000000 };

/* SUITE.md's work(x): the same in C and Go, 64-bit unsigned arithmetic. */
static inline uint64_t work(uint64_t x)
{
    for (int i = 0; i < 32; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x *= UINT64_C(2685821657736338717);
    }
    return x;
}

/* The total of work(0 .. jobs-1), computed once per process (jobs is always
 * JOBS here; the table holds one entry). */
static uint64_t expected_total(int64_t jobs)
{
    static int64_t for_jobs = -1;
    static uint64_t total;
    if (for_jobs != jobs) {
        uint64_t t = 0;
        for (int64_t i = 0; i < jobs; i++)
            t += work((uint64_t)i);
        total = t;
        for_jobs = jobs;
    }
    return total;
}

static void report_per_job(gbench_state *st, int64_t jobs)
{
    gbench_set_items_processed(st, gbench_iterations(st) * jobs);
    bench_report_per(st, "per_job", (double)jobs);
}

static bool check_total(gbench_state *st, uint64_t total, uint64_t want)
{
    gbench_do_not_optimize(total);
    if (total == want)
        return true;
    char msg[128];
    snprintf(msg, sizeof msg, "wrong total of the jobs: %llu, want %llu",
             (unsigned long long)total, (unsigned long long)want);
    gbench_skip_with_error(st, msg);
    return false;
}

/* ---- gort ------------------------------------------------------------------ */

typedef struct {
    gort_chan      *queue;
    gort_waitgroup *wg;
    uint64_t        sum;   /* this worker's result, written before wg_done */
} gort_worker;

static void gort_worker_fn(void *arg)
{
    gort_worker *w = arg;
    uint64_t sum = 0;
    int64_t job;
    while (gort_chan_recv(w->queue, &job))
        sum += work((uint64_t)job);
    w->sum = sum;
    gort_wg_done(w->wg);
}

static void pool_gort_loop(void *arg)
{
    gbench_state *st = arg;
    int64_t jobs = gbench_range(st, 0);
    uint64_t want = expected_total(jobs);
    int prev = gort_gomaxprocs((int)gbench_range(st, 1));
    gort_worker w[WORKERS];
    while (gbench_keep_running(st)) {
        gort_waitgroup wg = {0};
        gort_chan *queue = gort_chan_make(sizeof(int64_t), QUEUE_CAP);
        gort_wg_add(&wg, WORKERS);
        for (int i = 0; i < WORKERS; i++) {
            w[i] = (gort_worker){.queue = queue, .wg = &wg, .sum = 0};
            gort_go(gort_worker_fn, &w[i]);
        }
        for (int64_t i = 0; i < jobs; i++)
            gort_chan_send(queue, &i);
        gort_chan_close(queue);
        gort_wg_wait(&wg);
        gort_chan_unref(queue);
        uint64_t total = 0;
        for (int i = 0; i < WORKERS; i++)
            total += w[i].sum;
        if (!check_total(st, total, want))
            break;
    }
    gort_gomaxprocs(prev);
    report_per_job(st, jobs);
}

static void bm_pool_gort(gbench_state *st) { gort_run(pool_gort_loop, st); }

/* ---- pthreads: a ring under a mutex, condvars not-empty / not-full ---------- */

typedef struct {
    ring    *queue;
    uint64_t sum;
} pthread_worker;

static void *pthread_worker_fn(void *arg)
{
    pthread_worker *w = arg;
    uint64_t sum = 0;
    int64_t job;
    while (ring_get(w->queue, &job))
        sum += work((uint64_t)job);
    w->sum = sum;
    return NULL;
}

static void bm_pool_pthread(gbench_state *st)
{
    int64_t jobs = gbench_range(st, 0);
    uint64_t want = expected_total(jobs);
    static ring queue;
    pthread_worker w[WORKERS];
    pthread_t th[WORKERS];
    while (gbench_keep_running(st)) {
        ring_init(&queue, QUEUE_CAP);
        int n = 0, e = 0;
        for (; n < WORKERS; n++) {
            w[n] = (pthread_worker){.queue = &queue, .sum = 0};
            if ((e = pthread_create(&th[n], NULL, pthread_worker_fn, &w[n])) != 0)
                break;
        }
        if (n == WORKERS)
            for (int64_t i = 0; i < jobs; i++)
                ring_put(&queue, i);
        ring_close(&queue);
        uint64_t total = 0;
        for (int i = 0; i < n; i++) {
            pthread_join(th[i], NULL);
            total += w[i].sum;
        }
        ring_destroy(&queue);
        if (e != 0) {
            char msg[128];
            snprintf(msg, sizeof msg, "pthread_create: %s", strerror(e));
            gbench_skip_with_error(st, msg);
            break;
        }
        if (!check_total(st, total, want))
            break;
    }
    report_per_job(st, jobs);
}

/* ---- registration ---------------------------------------------------------- */

GBENCH_SETUP(register_pool)
{
    static const char *const names[] = {"jobs", "procs"};
    gbench_bm *b = gbench_bm_unit(bench_timed(gbench_register("pool/gort", bm_pool_gort)), GBENCH_MS);
    gbench_bm_arg_names(b, names, 2);
    int64_t procs[32];
    int n = bench_procs_list(procs);
    for (int i = 0; i < n; i++) {
        int64_t args[2] = {JOBS, procs[i]};
        gbench_bm_args(b, args, 2);
    }

    b = gbench_bm_unit(bench_timed(gbench_register("pool/pthread", bm_pool_pthread)), GBENCH_MS);
    gbench_bm_arg_name(b, "jobs");
    gbench_bm_arg(b, JOBS);
}

int main(int argc, char **argv) { return bench_main(argc, argv); }
