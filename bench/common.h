/*
 * common.h — what the suite's C benchmark files share (bench/SUITE.md):
 * timing options, the primary `per_*` counter, the GOMAXPROCS values a
 * benchmark runs at, and a main() that records gort's context.
 * Header-only (static functions): each benchmark file is its own program.
 */
#ifndef GORT_BENCH_COMMON_H
#define GORT_BENCH_COMMON_H

#define _GNU_SOURCE
#include <gort.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>

#include "gbench.h"

/* The first `want` CPUs of the process's affinity mask into out; returns
 * how many there are (fewer when the mask is smaller). */
static inline int bench_first_cpus(int want, int out[2])
{
    cpu_set_t set;
    int n = 0;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 0;
    for (int c = 0; c < CPU_SETSIZE && n < want; c++)
        if (CPU_ISSET(c, &set))
            out[n++] = c;
    return n;
}

/* pthread_create with the thread pinned to `cpu`; 0 or an errno. */
static inline int bench_start_pinned(pthread_t *th, int cpu, void *(*fn)(void *), void *arg)
{
    pthread_attr_t attr;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    pthread_attr_init(&attr);
    int e = pthread_attr_setaffinity_np(&attr, sizeof one, &one);
    if (e == 0)
        e = pthread_create(th, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    return e;
}

/* Wall-clock time (the work runs on the runtime's threads) and the CPU
 * time of the whole process. */
static inline gbench_bm *bench_timed(gbench_bm *b)
{
    gbench_bm_use_real_time(b);
    gbench_bm_measure_process_cpu_time(b);
    return b;
}

/* The primary figure: seconds per event, `per_iteration` events per
 * iteration, as counter `name` (per_task, per_round_trip, ...). */
static inline void bench_report_per(gbench_state *st, const char *name, double per_iteration)
{
    gbench_counter(st, name, per_iteration,
                   GBENCH_COUNTER_RATE | GBENCH_COUNTER_ITERATION_INVARIANT |
                       GBENCH_COUNTER_INVERT);
}

/* CPUs this process may run on. */
static inline int bench_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    int n = CPU_COUNT(&set);
    return n > 0 ? n : 1;
}

/* The GOMAXPROCS values a benchmark runs at: 1, 2, 4, ... below the CPU
 * count, then the CPU count (the Go peer uses the same list).  Returns how
 * many were written (at most 32). */
static inline int bench_procs_list(int64_t out[32])
{
    int cpus = bench_cpus(), n = 0;
    for (int64_t p = 1; p < cpus && n < 31; p *= 2)
        out[n++] = p;
    out[n++] = cpus;
    return n;
}

/* One instance per bench_procs_list() value, argument named "procs". */
static inline gbench_bm *bench_procs_args(gbench_bm *b)
{
    int64_t procs[32];
    int n = bench_procs_list(procs);
    gbench_bm_arg_name(b, "procs");
    for (int i = 0; i < n; i++)
        gbench_bm_arg(b, procs[i]);
    return b;
}

/* main() of a benchmark file: gort's version and CPU count go into the
 * results' context, then Google Benchmark runs. */
static inline int bench_main(int argc, char **argv)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d", gort_num_cpu());
    gbench_add_context("gort_num_cpu", buf);
    snprintf(buf, sizeof buf, "%d.%d.%d", GORT_VERSION_MAJOR, GORT_VERSION_MINOR,
             GORT_VERSION_PATCH);
    gbench_add_context("gort_version", buf);
    return gbench_main(argc, argv);
}

#endif
