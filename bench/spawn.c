/*
 * spawn.c — benchmark 1 of the suite: create a task, run it to completion,
 * wait for it.  gort against pthread_create + pthread_join in the same run.
 *
 *   spawn/gort/procs:P          go(f) + WaitGroup wait, one task at a time,
 *                               GOMAXPROCS = P (1, 2, and the CPU count)
 *   spawn/pthread               pthread_create + pthread_join, default stack
 *   spawn/pthread_16k           the same with 16 KiB stacks
 *   spawn_batch/gort/procs:P    1000 go(f), then one wait for all of them
 *   spawn_batch/pthread         1000 pthread_create, then 1000 joins
 *   spawn_batch/pthread_16k     the same with 16 KiB stacks
 *
 * One iteration is one task for spawn/... and 1000 tasks for spawn_batch/...;
 * every benchmark reports `per_task` (seconds per task; the console prints
 * it with an SI prefix, e.g. 85n = 85 ns) and items_per_second (tasks/s).
 * Times are wall-clock (the tasks run on other threads); CPU is the whole
 * process's, so a runtime that keeps threads spinning shows it there.
 *
 * The gort loop runs inside one goroutine: the benchmark function (on
 * Google Benchmark's plain thread) calls gort_run(loop, st), which blocks
 * that thread until the loop is done; the gbench_state calls work from the
 * goroutine wherever it runs (gbench.h).
 *
 *   build/bench/bench_spawn [--benchmark_filter=spawn/] [--benchmark_format=json]
 */
#define _GNU_SOURCE
#include <gort.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

enum { BATCH = 1000 };

static void report_per_task(gbench_state *st, int64_t tasks_per_iteration)
{
    gbench_set_items_processed(st, gbench_iterations(st) * tasks_per_iteration);
    bench_report_per(st, "per_task", (double)tasks_per_iteration);
}

/* ---- gort ------------------------------------------------------------------ */

static void task_done(void *wg) { gort_wg_done(wg); }

static void spawn_gort_loop(void *arg)
{
    gbench_state *st = arg;
    int prev = gort_gomaxprocs((int)gbench_range(st, 0));
    gort_waitgroup wg = {0};
    while (gbench_keep_running(st)) {
        gort_wg_add(&wg, 1);
        gort_go(task_done, &wg);
        gort_wg_wait(&wg);
    }
    gort_gomaxprocs(prev);
    report_per_task(st, 1);
}

static void spawn_batch_gort_loop(void *arg)
{
    gbench_state *st = arg;
    int prev = gort_gomaxprocs((int)gbench_range(st, 0));
    gort_waitgroup wg = {0};
    while (gbench_keep_running(st)) {
        gort_wg_add(&wg, BATCH);
        for (int i = 0; i < BATCH; i++)
            gort_go(task_done, &wg);
        gort_wg_wait(&wg);
    }
    gort_gomaxprocs(prev);
    report_per_task(st, BATCH);
}

static void bm_spawn_gort(gbench_state *st) { gort_run(spawn_gort_loop, st); }
static void bm_spawn_batch_gort(gbench_state *st) { gort_run(spawn_batch_gort_loop, st); }

/* ---- pthreads -------------------------------------------------------------- */

static void *task_nop(void *arg) { return arg; }

/* gbench_data(st): the stack size, 0 for the default. */
static bool attr_for(gbench_state *st, pthread_attr_t *attr)
{
    size_t stack = (size_t)(uintptr_t)gbench_data(st);
    pthread_attr_init(attr);
    int e = stack ? pthread_attr_setstacksize(attr, stack) : 0;
    if (e != 0) {
        gbench_skip_with_error(st, strerror(e));
        pthread_attr_destroy(attr);
        return false;
    }
    return true;
}

static void bm_spawn_pthread(gbench_state *st)
{
    pthread_attr_t attr;
    if (!attr_for(st, &attr))
        return;
    while (gbench_keep_running(st)) {
        pthread_t th;
        int e = pthread_create(&th, &attr, task_nop, NULL);
        if (e != 0) {
            gbench_skip_with_error(st, strerror(e));
            break;
        }
        pthread_join(th, NULL);
    }
    pthread_attr_destroy(&attr);
    report_per_task(st, 1);
}

static void bm_spawn_batch_pthread(gbench_state *st)
{
    static pthread_t th[BATCH];
    pthread_attr_t attr;
    if (!attr_for(st, &attr))
        return;
    while (gbench_keep_running(st)) {
        int n = 0, e = 0;
        while (n < BATCH && (e = pthread_create(&th[n], &attr, task_nop, NULL)) == 0)
            n++;
        for (int i = 0; i < n; i++)
            pthread_join(th[i], NULL);
        if (e != 0) {
            char msg[128];
            snprintf(msg, sizeof msg, "pthread_create failed after %d threads: %s", n,
                     strerror(e));
            gbench_skip_with_error(st, msg);
            break;
        }
    }
    pthread_attr_destroy(&attr);
    report_per_task(st, BATCH);
}

/* ---- registration ---------------------------------------------------------- */

GBENCH_SETUP(register_spawn)
{
    void *k16 = (void *)(uintptr_t)(16 * 1024);

    bench_procs_args(bench_timed(gbench_register("spawn/gort", bm_spawn_gort)));
    bench_timed(gbench_register_data("spawn/pthread", bm_spawn_pthread, NULL));
    bench_timed(gbench_register_data("spawn/pthread_16k", bm_spawn_pthread, k16));

    bench_procs_args(gbench_bm_unit(bench_timed(gbench_register("spawn_batch/gort", bm_spawn_batch_gort)),
                              GBENCH_US));
    gbench_bm_unit(bench_timed(gbench_register_data("spawn_batch/pthread", bm_spawn_batch_pthread, NULL)),
                   GBENCH_US);
    gbench_bm_unit(bench_timed(gbench_register_data("spawn_batch/pthread_16k", bm_spawn_batch_pthread, k16)),
                   GBENCH_US);
}

int main(int argc, char **argv) { return bench_main(argc, argv); }
