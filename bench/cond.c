/*
 * cond.c — sync.Cond (bench/SUITE.md, groups `cond` and `cond_pingpong`):
 * gort_cond against a pthread_cond_t, the same workloads as the Go peer's
 * sync.Cond.
 *
 *   cond/gort/waiters:W/procs:P      Go's BenchmarkCond1 ... Cond32
 *                                    (package sync, benchmarkCond)
 *                                    ported: W+1 goroutines, one gort_mutex,
 *                                    one gort_cond; GOMAXPROCS = P (1, 2);
 *                                    W = 1, 2, 4, 8, 16, 32
 *   cond/pthread/waiters:W           the same with W+1 pthreads, a
 *                                    pthread_mutex_t and a pthread_cond_t
 *                                    (not pinned)
 *   cond_pingpong/gort/procs:P       two goroutines take turns through one
 *                                    gort_cond and a gort_mutex, waking each
 *                                    other with gort_cond_signal; P = 1, 2
 *   cond_pingpong/pthread/cpus:C     the same with two threads, one
 *                                    pthread_cond_t, pinned to 1 or 2 CPUs as
 *                                    switch.c's pingpong baselines
 *
 * `cond`.  Each of the W+1 tasks runs Go's loop N times (N = the run's
 * iteration count): lock; if id == -1 (someone finished), unlock and stop;
 * id++; the one that makes id W+1 sets it to 0 and broadcasts, the others
 * wait (once: gort_cond, like sync.Cond, has no spurious wake-ups); unlock.
 * A task whose loop ends sets id = -1 and broadcasts, so that the others
 * stop.  A round (W+1 increments, W waits, one broadcast) needs each task
 * exactly once, so a run is N rounds: the broadcasts are counted and must
 * be N (gort; pthread_cond_wait may wake spuriously, so the pthread figure
 * is only reported, counter `rounds`/iteration).  As in Go's benchmark the
 * tasks are started inside the timed region (one batch of N iterations:
 * W+1 spawns per run, µs against a run of ≥ min_time); per_round = time /
 * N, Go's ns/op.
 *
 * `cond_pingpong`.  One iteration is a round trip: A (the loop) sets turn
 * to B's and signals, then waits until the turn is its own again; B, which
 * holds the mutex except while it waits, waits for its turn, hands it back
 * and signals.  Both wait on the same cond (only one of them ever waits at
 * a time).  B counts the turns it got; they must equal the iterations.
 * per_round_trip = time per iteration.
 *
 * Times are wall-clock; CPU is the whole process's.  The gort loops run in
 * a goroutine entered with gort_run (GOMAXPROCS set there and restored).
 *
 *   build/bench/bench_cond [--benchmark_filter=cond/] [--benchmark_format=json]
 */
#define _GNU_SOURCE
#include <gort.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

enum { MAX_WAITERS = 32 };
static const int64_t waiter_counts[] = {1, 2, 4, 8, 16, 32};   /* Go's Cond1 ... Cond32 */

/* ---- cond/gort: Go's benchmarkCond -------------------------------------------- */

typedef struct {
    gort_mutex     mu;
    gort_cond      c;
    int64_t        id;          /* under mu; -1: stop */
    int64_t        broadcasts;  /* under mu: rounds completed */
    int64_t        waiters;
    int64_t        n;           /* iterations of each task */
    gort_waitgroup done;
} gort_cond_bench;

static void gort_cond_task(void *arg)
{
    gort_cond_bench *b = arg;
    for (int64_t i = 0; i < b->n; i++) {
        gort_mutex_lock(&b->mu);
        if (b->id == -1) {
            gort_mutex_unlock(&b->mu);
            break;
        }
        b->id++;
        if (b->id == b->waiters + 1) {
            b->id = 0;
            b->broadcasts++;
            gort_cond_broadcast(&b->c);
        } else {
            gort_cond_wait(&b->c, &b->mu);
        }
        gort_mutex_unlock(&b->mu);
    }
    gort_mutex_lock(&b->mu);
    b->id = -1;
    gort_cond_broadcast(&b->c);
    gort_mutex_unlock(&b->mu);
    gort_wg_done(&b->done);
}

static bool check_rounds(gbench_state *st, int64_t rounds, int64_t want, const char *what)
{
    if (rounds == want)
        return true;
    char msg[160];
    snprintf(msg, sizeof msg, "%s: %lld rounds for %lld iterations", what, (long long)rounds,
             (long long)want);
    gbench_skip_with_error(st, msg);
    return false;
}

static void cond_gort_loop(void *arg)
{
    gbench_state *st = arg;
    int64_t waiters = gbench_range(st, 0);
    int prev = gort_gomaxprocs((int)gbench_range(st, 1));
    int64_t n = gbench_max_iterations(st);
    while (gbench_keep_running_batch(st, n)) {
        gort_cond_bench b = {.waiters = waiters, .n = n};
        gort_wg_add(&b.done, waiters + 1);
        for (int64_t i = 0; i <= waiters; i++)
            gort_go(gort_cond_task, &b);
        gort_wg_wait(&b.done);
        if (!check_rounds(st, b.broadcasts, n, "cond/gort"))
            break;
    }
    gort_gomaxprocs(prev);
    bench_report_per(st, "per_round", 1);
}

static void bm_cond_gort(gbench_state *st) { gort_run(cond_gort_loop, st); }

/* ---- cond/pthread ------------------------------------------------------------- */

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t  c;
    int64_t         id, broadcasts, waiters, n;
} pthread_cond_bench;

static void *pthread_cond_task(void *arg)
{
    pthread_cond_bench *b = arg;
    for (int64_t i = 0; i < b->n; i++) {
        pthread_mutex_lock(&b->mu);
        if (b->id == -1) {
            pthread_mutex_unlock(&b->mu);
            break;
        }
        b->id++;
        if (b->id == b->waiters + 1) {
            b->id = 0;
            b->broadcasts++;
            pthread_cond_broadcast(&b->c);
        } else {
            pthread_cond_wait(&b->c, &b->mu);
        }
        pthread_mutex_unlock(&b->mu);
    }
    pthread_mutex_lock(&b->mu);
    b->id = -1;
    pthread_cond_broadcast(&b->c);
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static void bm_cond_pthread(gbench_state *st)
{
    int64_t waiters = gbench_range(st, 0);
    int64_t n = gbench_max_iterations(st);
    pthread_t th[MAX_WAITERS + 1];
    static pthread_cond_bench b;
    while (gbench_keep_running_batch(st, n)) {
        b = (pthread_cond_bench){.waiters = waiters, .n = n};
        pthread_mutex_init(&b.mu, NULL);
        pthread_cond_init(&b.c, NULL);
        int started = 0, e = 0;
        for (; started <= waiters; started++)
            if ((e = pthread_create(&th[started], NULL, pthread_cond_task, &b)) != 0)
                break;
        if (e != 0) {
            /* Too few to complete a round: stop the ones that started. */
            pthread_mutex_lock(&b.mu);
            b.id = -1;
            pthread_cond_broadcast(&b.c);
            pthread_mutex_unlock(&b.mu);
        }
        for (int i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        pthread_cond_destroy(&b.c);
        pthread_mutex_destroy(&b.mu);
        if (e != 0) {
            char msg[128];
            snprintf(msg, sizeof msg, "pthread_create: %s", strerror(e));
            gbench_skip_with_error(st, msg);
            break;
        }
    }
    /* Rounds per iteration: 1 unless a wait woke spuriously (a task then
     * counts twice in a round, and rounds come short). */
    gbench_counter(st, "rounds", (double)b.broadcasts, GBENCH_COUNTER_AVG_ITERATIONS);
    bench_report_per(st, "per_round", 1);
}

/* ---- cond_pingpong/gort ---------------------------------------------------------- */

typedef struct {
    gort_mutex     mu;
    gort_cond      c;
    int            turn;    /* 0: A's, 1: B's, 2: stop */
    int64_t        turns;   /* B's */
    gort_waitgroup done;
} gort_cond_pp;

static void gort_pp_b(void *arg)
{
    gort_cond_pp *p = arg;
    gort_mutex_lock(&p->mu);
    for (;;) {
        while (p->turn == 0)
            gort_cond_wait(&p->c, &p->mu);
        if (p->turn == 2)
            break;
        p->turn = 0;
        p->turns++;
        gort_cond_signal(&p->c);
    }
    gort_mutex_unlock(&p->mu);
    gort_wg_done(&p->done);
}

static void cond_pp_gort_loop(void *arg)
{
    gbench_state *st = arg;
    int prev = gort_gomaxprocs((int)gbench_range(st, 0));
    gort_cond_pp p = {0};
    gort_wg_add(&p.done, 1);
    gort_go(gort_pp_b, &p);
    while (gbench_keep_running(st)) {
        gort_mutex_lock(&p.mu);
        p.turn = 1;
        gort_cond_signal(&p.c);
        while (p.turn == 1)
            gort_cond_wait(&p.c, &p.mu);
        gort_mutex_unlock(&p.mu);
    }
    gort_mutex_lock(&p.mu);
    p.turn = 2;
    gort_cond_signal(&p.c);
    gort_mutex_unlock(&p.mu);
    gort_wg_wait(&p.done);
    gort_gomaxprocs(prev);
    check_rounds(st, p.turns, gbench_iterations(st), "cond_pingpong/gort");
    bench_report_per(st, "per_round_trip", 1);
}

static void bm_cond_pp_gort(gbench_state *st) { gort_run(cond_pp_gort_loop, st); }

/* ---- cond_pingpong/pthread: two pinned threads (as switch.c) ------------------- */

typedef struct {
    gbench_state   *st;
    pthread_mutex_t mu;
    pthread_cond_t  c;
    int             turn;    /* 0: A's, 1: B's, 2: stop */
    int64_t         turns;   /* B's */
} pthread_cond_pp;

static void *pthread_pp_a(void *arg)
{
    pthread_cond_pp *p = arg;
    while (gbench_keep_running(p->st)) {
        pthread_mutex_lock(&p->mu);
        p->turn = 1;
        pthread_cond_signal(&p->c);
        while (p->turn == 1)
            pthread_cond_wait(&p->c, &p->mu);
        pthread_mutex_unlock(&p->mu);
    }
    pthread_mutex_lock(&p->mu);
    p->turn = 2;
    pthread_cond_signal(&p->c);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void *pthread_pp_b(void *arg)
{
    pthread_cond_pp *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->turn == 0)
            pthread_cond_wait(&p->c, &p->mu);
        if (p->turn == 2)
            break;
        p->turn = 0;
        p->turns++;
        pthread_cond_signal(&p->c);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void bm_cond_pp_pthread(gbench_state *st)
{
    int cpu[2] = { 0, 0 };
    int want = (int)gbench_range(st, 0);
    if (bench_first_cpus(want, cpu) < want) {
        gbench_skip_with_error(st, "not enough CPUs in the affinity mask");
        return;
    }
    if (want == 1)
        cpu[1] = cpu[0];
    static pthread_cond_pp p;
    p = (pthread_cond_pp){.st = st};
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.c, NULL);
    pthread_t a, b;
    int e = bench_start_pinned(&b, cpu[1], pthread_pp_b, &p);
    if (e == 0) {
        e = bench_start_pinned(&a, cpu[0], pthread_pp_a, &p);
        if (e == 0) {
            pthread_join(a, NULL);
        } else {
            /* B waits for a turn that will not come: A, run here after the
             * error, skips its loop and stops B. */
            gbench_skip_with_error(st, strerror(e));
            pthread_pp_a(&p);
        }
        pthread_join(b, NULL);
        if (e == 0)
            check_rounds(st, p.turns, gbench_iterations(st), "cond_pingpong/pthread");
    } else {
        gbench_skip_with_error(st, strerror(e));
    }
    pthread_cond_destroy(&p.c);
    pthread_mutex_destroy(&p.mu);
    bench_report_per(st, "per_round_trip", 1);
}

/* ---- registration ------------------------------------------------------------- */

/* 1, and 2 when the affinity mask has two CPUs (switch.c's arg_upto2). */
static int upto2(int64_t out[2])
{
    int cpu[2] = { 0, 0 };
    out[0] = 1;
    out[1] = 2;
    return bench_first_cpus(2, cpu) >= 2 ? 2 : 1;
}

GBENCH_SETUP(register_cond)
{
    static const char *const names[] = {"waiters", "procs"};
    int64_t procs[2];
    int np = upto2(procs);
    int nw = (int)(sizeof waiter_counts / sizeof waiter_counts[0]);

    gbench_bm *b = gbench_bm_unit(bench_timed(gbench_register("cond/gort", bm_cond_gort)), GBENCH_US);
    gbench_bm_arg_names(b, names, 2);
    for (int w = 0; w < nw; w++)
        for (int i = 0; i < np; i++) {
            int64_t args[2] = {waiter_counts[w], procs[i]};
            gbench_bm_args(b, args, 2);
        }

    b = gbench_bm_unit(bench_timed(gbench_register("cond/pthread", bm_cond_pthread)), GBENCH_US);
    gbench_bm_arg_name(b, "waiters");
    for (int w = 0; w < nw; w++)
        gbench_bm_arg(b, waiter_counts[w]);

    b = bench_timed(gbench_register("cond_pingpong/gort", bm_cond_pp_gort));
    gbench_bm_arg_name(b, "procs");
    for (int i = 0; i < np; i++)
        gbench_bm_arg(b, procs[i]);

    b = bench_timed(gbench_register("cond_pingpong/pthread", bm_cond_pp_pthread));
    gbench_bm_arg_name(b, "cpus");
    for (int i = 0; i < np; i++)
        gbench_bm_arg(b, procs[i]);
}

int main(int argc, char **argv) { return bench_main(argc, argv); }
