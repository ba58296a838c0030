/*
 * preempt.c — asynchronous preemption (bench/SUITE.md, group `preempt`):
 * what a goroutine that never calls into the runtime costs the others, and
 * what interrupting it costs the program.
 *
 *   preempt/gort_tick_late/procs:P   GOMAXPROCS P; P goroutines spin in a
 *                                    loop that calls nothing (a volatile
 *                                    counter and a relaxed load of the stop
 *                                    flag); the benchmark's own goroutine
 *                                    receives from a 1 ms gort_ticker; one
 *                                    iteration = one tick received.
 *                                    Counters late_p50_us, late_p99_us (the
 *                                    lateness of the receives, below),
 *                                    per_tick (wall time per receive), and
 *                                    preempt_per_s (gort_stats.preemptions)
 *   preempt/gort_loop/async:A        GOMAXPROCS = the CPU count, 2 x CPUs
 *                                    goroutines each run LOOP_UNITS units of
 *                                    work() (a loop that calls nothing);
 *                                    per_unit = wall time / units done, with
 *                                    the preemption signal on (A = 1) or
 *                                    off (A = 0, GORT_ASYNCPREEMPT=0)
 *   preempt/gort_loop_alone/async:A  the same with CPUs goroutines: nothing
 *                                    else is runnable when one is preempted,
 *                                    so it just goes on (the signal's cost)
 *
 * Lateness.  t0 = gort_now() just before gort_ticker_new(1 ms), so tick k
 * is due at t0 + k ms (the ticker arms itself a few hundred ns later: the
 * figure errs late by that much).  The receive i at time r_i, of value v_i
 * (the time the ticker fired), is counted against tick
 *
 *     k_i = max(k_{i-1} + 1, min(floor((v_i - t0) / 1 ms),
 *                                floor((r_{i-1} - t0) / 1 ms) + 1))
 *
 * and is r_i - (t0 + k_i ms) late: the tick the value says fired, but no
 * later than the first tick due after the previous receive (the receiver
 * was waiting from then on: a tick that fired 5 ms late counts 5 ms, not
 * the 0.x ms since the latest multiple of 1 ms), and after the previous
 * tick.  Ticks the ticker skipped (a firing more than a period late moves
 * it to the next multiple of the period, as Go's) are not counted as late
 * twice.  The Go peer computes the same.  p50 and p99 are nearest-rank
 * over the run's receives.  Without preemption the spinners never give way
 * and nothing is received: with GORT_ASYNCPREEMPT=0 in the environment the
 * benchmark fails at once, and a watchdog thread stops the spinners (the
 * run fails) if the run takes 10 s + 50 ms per tick.
 *
 * The loop, and why in a child process.  GORT_ASYNCPREEMPT is read once,
 * when the runtime starts, so each run of a loop benchmark (both values of
 * A, for symmetry) execs /proc/self/exe with the private first argument
 * --preempt-child=GOROUTINES,RUNS and GORT_ASYNCPREEMPT=A in its
 * environment (the rest of the environment, GORT_PREEMPT_AFTER_US included,
 * is passed on).  The child does RUNS runs and writes one line per run on
 * file descriptor 3 (a pipe): "seconds units cpu_seconds preemptions".
 * The parent reads one line per Google Benchmark iteration and reports its
 * seconds with manual time (gbench_set_iteration_time), so the child's
 * start-up is not timed; per_unit = the runs' seconds / their units;
 * cpu_per_real = the child's process CPU time over those seconds;
 * preempt_per_s = gort_stats.preemptions per second.
 *
 * A run: t = gort_now(), the goroutines start (each counts its units in
 * its own cache line, a relaxed store every 16 units), and the run ends
 * when the first of them has done its LOOP_UNITS: it reads the clock and
 * every counter then.  Until that moment every P has a goroutine to run, so
 * the figure is throughput with all CPUs busy, without the tail where
 * fewer goroutines than Ps remain (which preemption would lengthen: up to
 * a slice).  With A = 0 the first CPUs goroutines run to the end without a
 * switch (the others have not started); with A = 1 all of them take turns,
 * every slice (10 ms) a preemption with a switch to another goroutine, and
 * the run lasts about twice as long.  The rest are then stopped (a flag)
 * and waited for, untimed.  per_unit(async:1) / per_unit(async:0) - 1 is
 * the cost of preemption (the target: under 1%).
 *
 *   build/bench/bench_preempt [--benchmark_filter=preempt/gort_loop]
 */
#define _GNU_SOURCE
#include <gort.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

enum { TICK_NS = 1000000, LOOP_UNITS = 500000, UNITS_PER_STORE = 16, MAX_WORKERS = 1024 };
#define CHILD_FLAG "--preempt-child="
#define RESULT_FD 3

/* SUITE.md's work(x), the pool's job: 64-bit unsigned arithmetic. */
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

static void counter_preemptions(gbench_state *st, int64_t preemptions)
{
    gbench_counter(st, "preempt_per_s", (double)preemptions, GBENCH_COUNTER_RATE);
}

static int64_t preemptions_now(void)
{
    gort_stats s;
    gort_stats_get(&s);
    return s.preemptions;
}

/* ---- preempt/gort_tick_late/procs:P ------------------------------------------ */

typedef struct {
    gbench_state *st;
    atomic_bool stop;          /* the spinners end */
    atomic_bool timed_out;     /* set by the watchdog */
    gort_waitgroup wg;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;                 /* under mu: the loop is over */
    int64_t deadline_ns;       /* for the watchdog, CLOCK_MONOTONIC */
} tick_ctx;

static void spinner(void *arg)
{
    tick_ctx *c = arg;
    volatile uint64_t n = 0;
    while (!atomic_load_explicit(&c->stop, memory_order_relaxed))
        n = n + 1;
    gort_wg_done(&c->wg);
}

/* A plain thread: if the run is not over by the deadline (the spinners
 * never gave way: preemption off or broken), it stops them. */
static void *watchdog(void *arg)
{
    tick_ctx *c = arg;
    struct timespec ts = {c->deadline_ns / 1000000000, c->deadline_ns % 1000000000};
    pthread_mutex_lock(&c->mu);
    while (!c->done) {
        if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) == ETIMEDOUT && !c->done) {
            atomic_store(&c->timed_out, true);
            atomic_store(&c->stop, true);
            break;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample with at least q of them at or below. */
static int64_t quantile(const int64_t *sorted, int64_t n, double q)
{
    int64_t i = (int64_t)(q * (double)n + 0.999999) - 1;
    return sorted[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* The tick a receive is counted against (the header comment). */
static int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

static int64_t tick_index(int64_t k_prev, int64_t r_prev, int64_t v, int64_t t0)
{
    int64_t k_val = floor_div(v - t0, TICK_NS);
    int64_t k_ready = floor_div(r_prev - t0, TICK_NS) + 1;
    int64_t k = k_val < k_ready ? k_val : k_ready;
    return k > k_prev + 1 ? k : k_prev + 1;
}

static void tick_loop(void *arg)
{
    tick_ctx *c = arg;
    gbench_state *st = c->st;
    int procs = (int)gbench_range(st, 0);
    int64_t cap = gbench_max_iterations(st) + 1;
    int64_t *late = malloc((size_t)cap * sizeof *late);
    if (!late) {
        gbench_skip_with_error(st, "out of memory for the samples");
        return;
    }
    int prev = gort_gomaxprocs(procs);
    gort_wg_add(&c->wg, procs);
    for (int i = 0; i < procs; i++)
        gort_go(spinner, c);
    int64_t p0 = preemptions_now();
    int64_t t0 = gort_now();
    gort_ticker *tk = gort_ticker_new(TICK_NS);
    gort_chan *ch = gort_ticker_chan(tk);
    int64_t n = 0, k = 0, r = t0;
    while (gbench_keep_running(st)) {
        int64_t v;
        gort_chan_recv(ch, &v);
        int64_t now = gort_now();
        k = tick_index(k, r, v, t0);
        r = now;
        if (n < cap)
            late[n++] = r - (t0 + k * TICK_NS);
    }
    int64_t preemptions = preemptions_now() - p0;
    gort_ticker_free(tk);
    atomic_store(&c->stop, true);
    gort_wg_wait(&c->wg);
    gort_gomaxprocs(prev);
    if (atomic_load(&c->timed_out)) {
        gbench_skip_with_error(st, "the spinners never gave way (asynchronous preemption off?): "
                                   "stopped by the watchdog");
    } else if (n > 0) {
        qsort(late, (size_t)n, sizeof *late, cmp_i64);
        gbench_counter(st, "late_p50_us", (double)quantile(late, n, 0.50) / 1e3, 0);
        gbench_counter(st, "late_p99_us", (double)quantile(late, n, 0.99) / 1e3, 0);
        bench_report_per(st, "per_tick", 1);
        counter_preemptions(st, preemptions);
    }
    free(late);
}

static bool async_preempt_disabled(void)
{
    const char *v = getenv("GORT_ASYNCPREEMPT");
    return v && strcmp(v, "0") == 0;
}

static void bm_tick_late(gbench_state *st)
{
    if (async_preempt_disabled()) {
        gbench_skip_with_error(st, "GORT_ASYNCPREEMPT=0: the spinners would never give way");
        return;
    }
    tick_ctx c = {.st = st};
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c.cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&c.mu, NULL);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    c.deadline_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec + 10 * INT64_C(1000000000) +
                    gbench_max_iterations(st) * 50 * INT64_C(1000000);
    pthread_t wd;
    bool have_wd = pthread_create(&wd, NULL, watchdog, &c) == 0;
    gort_run(tick_loop, &c);
    if (have_wd) {
        pthread_mutex_lock(&c.mu);
        c.done = true;
        pthread_cond_signal(&c.cv);
        pthread_mutex_unlock(&c.mu);
        pthread_join(wd, NULL);
    }
    pthread_cond_destroy(&c.cv);
    pthread_mutex_destroy(&c.mu);
}

/* ---- preempt/gort_loop*: the child's side ----------------------------------------- */

typedef struct {
    _Alignas(64) _Atomic uint64_t units;
    _Atomic uint64_t sink;
} worker_slot;

typedef struct {
    int goroutines;
    worker_slot *slots;
    atomic_bool stop;
    atomic_int finished;       /* 1 once the first worker is through */
    int64_t t_end;             /* set by the first worker through */
    uint64_t units_end;
    gort_waitgroup wg;
    gort_chan *first;          /* the first worker through sends on it */
} loop_run;

typedef struct {
    loop_run *run;
    worker_slot *slot;
    uint64_t seed;
} worker_arg;

static void worker_main(void *arg)
{
    worker_arg *a = arg;
    loop_run *run = a->run;
    worker_slot *w = a->slot;
    uint64_t x = a->seed, n = 0;
    /* The loop calls nothing: the interrupted pc is always in this program. */
    while (n < LOOP_UNITS && !atomic_load_explicit(&run->stop, memory_order_relaxed)) {
        for (int i = 0; i < UNITS_PER_STORE; i++)
            x = work(x);
        n += UNITS_PER_STORE;
        atomic_store_explicit(&w->units, n, memory_order_relaxed);
        atomic_store_explicit(&w->sink, x, memory_order_relaxed);
    }
    if (n >= LOOP_UNITS) {
        /* The clock and the counters first (gort_now is no preemption
         * point), then the race to be first. */
        int64_t t = gort_now();
        uint64_t total = 0;
        for (int i = 0; i < run->goroutines; i++)
            total += atomic_load_explicit(&run->slots[i].units, memory_order_relaxed);
        int zero = 0;
        if (atomic_compare_exchange_strong(&run->finished, &zero, 1)) {
            run->t_end = t;
            run->units_end = total;
            atomic_store(&run->stop, true);
            int64_t one = 1;
            gort_chan_send(run->first, &one);
        }
    }
    gort_wg_done(&run->wg);
}

typedef struct {
    int goroutines;
    int64_t runs;
    int fd;
    int status;
} child_cfg;

static int64_t process_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void child_runs(void *arg)
{
    child_cfg *cfg = arg;
    int g = cfg->goroutines;
    gort_gomaxprocs(gort_num_cpu());
    worker_slot *slots = aligned_alloc(64, sizeof(worker_slot) * (size_t)g);
    worker_arg *args = calloc((size_t)g, sizeof *args);
    if (!slots || !args) {
        cfg->status = 1;
        return;
    }
    for (int64_t r = 0; r < cfg->runs; r++) {
        loop_run run = {.goroutines = g, .slots = slots,
                        .first = gort_chan_make(sizeof(int64_t), 1)};
        for (int i = 0; i < g; i++) {
            atomic_store(&slots[i].units, 0);
            args[i] = (worker_arg){&run, &slots[i], (uint64_t)(r * g + i + 1)};
        }
        int64_t p0 = preemptions_now(), c0 = process_cpu_ns();
        int64_t t0 = gort_now();
        gort_wg_add(&run.wg, g);
        for (int i = 0; i < g; i++)
            gort_go(worker_main, &args[i]);
        int64_t one;
        gort_chan_recv(run.first, &one);
        int64_t c1 = process_cpu_ns(), p1 = preemptions_now();
        gort_wg_wait(&run.wg);
        gort_chan_unref(run.first);
        char line[160];
        int len = snprintf(line, sizeof line, "%.9f %llu %.9f %lld\n", (double)(run.t_end - t0) / 1e9,
                           (unsigned long long)run.units_end, (double)(c1 - c0) / 1e9,
                           (long long)(p1 - p0));
        if (write(cfg->fd, line, (size_t)len) != len) {
            cfg->status = 1;
            break;
        }
    }
    free(slots);
    free(args);
}

/* argv[1] = --preempt-child=GOROUTINES,RUNS; results on RESULT_FD. */
static int child_main(const char *spec)
{
    child_cfg cfg = {.fd = RESULT_FD};
    long long runs;
    if (sscanf(spec, "%d,%lld", &cfg.goroutines, &runs) != 2 || cfg.goroutines < 1 ||
        cfg.goroutines > MAX_WORKERS || runs < 1) {
        fprintf(stderr, "bench_preempt: bad %s%s\n", CHILD_FLAG, spec);
        return 2;
    }
    cfg.runs = runs;
    gort_run(child_runs, &cfg);
    return cfg.status;
}

/* ---- preempt/gort_loop*: the parent's side ---------------------------------------- */

/* Starts /proc/self/exe as a child run with GORT_ASYNCPREEMPT=async;
 * returns its pid (its results come on *rfd), or -1 with errno set. */
static pid_t start_child(int goroutines, int64_t runs, int async, int *rfd)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 2, sizeof *env);
    if (!env) {
        close(p[0]);
        close(p[1]);
        errno = ENOMEM;
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "GORT_ASYNCPREEMPT=", 18) != 0)
            env[k++] = environ[i];
    env[k++] = async ? "GORT_ASYNCPREEMPT=1" : "GORT_ASYNCPREEMPT=0";
    env[k] = NULL;
    char flag[64];
    snprintf(flag, sizeof flag, "%s%d,%lld", CHILD_FLAG, goroutines, (long long)runs);
    char *argv[] = {"bench_preempt", flag, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], RESULT_FD);   /* dup2 clears CLOEXEC */
    pid_t pid;
    int e = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    close(p[1]);
    if (e != 0) {
        close(p[0]);
        errno = e;
        return -1;
    }
    *rfd = p[0];
    return pid;
}

static void bm_loop(gbench_state *st)
{
    int per_cpu = (int)(intptr_t)gbench_data(st);   /* goroutines per CPU: 2 or 1 */
    int async = (int)gbench_range(st, 0);
    int goroutines = per_cpu * bench_cpus();
    int rfd;
    pid_t pid = start_child(goroutines, gbench_max_iterations(st), async, &rfd);
    if (pid < 0) {
        char msg[128];
        snprintf(msg, sizeof msg, "cannot start the child: %s", strerror(errno));
        gbench_skip_with_error(st, msg);
        return;
    }
    FILE *in = fdopen(rfd, "r");
    double seconds = 0, cpu = 0;
    unsigned long long units = 0;
    long long preemptions = 0;
    bool failed = false;
    while (gbench_keep_running(st)) {
        double s, c;
        unsigned long long u;
        long long p;
        if (!in || fscanf(in, "%lf %llu %lf %lld", &s, &u, &c, &p) != 4) {
            gbench_skip_with_error(st, "the child ended without its results");
            failed = true;
            break;
        }
        gbench_set_iteration_time(st, s);
        seconds += s;
        cpu += c;
        units += u;
        preemptions += p;
    }
    if (failed)
        kill(pid, SIGKILL);
    if (in)
        fclose(in);
    else
        close(rfd);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!failed && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        gbench_skip_with_error(st, "the child failed");
        return;
    }
    if (failed || units == 0)
        return;
    gbench_counter(st, "per_unit", (double)units,
                   GBENCH_COUNTER_RATE | GBENCH_COUNTER_INVERT);
    gbench_counter(st, "cpu_per_real", seconds > 0 ? cpu / seconds : 0, 0);
    counter_preemptions(st, preemptions);
    gbench_set_items_processed(st, (int64_t)units);
}

/* ---- registration ---------------------------------------------------------------- */

GBENCH_SETUP(register_preempt)
{
    bench_procs_args(gbench_bm_unit(bench_timed(gbench_register("preempt/gort_tick_late",
                                                                bm_tick_late)),
                                    GBENCH_US));
    static const struct { const char *name; intptr_t per_cpu; } loops[] = {
        {"preempt/gort_loop", 2}, {"preempt/gort_loop_alone", 1}};
    for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
        gbench_bm *b = gbench_register_data(loops[i].name, bm_loop, (void *)loops[i].per_cpu);
        gbench_bm_use_manual_time(b);
        gbench_bm_unit(b, GBENCH_MS);
        gbench_bm_arg_name(b, "async");
        gbench_bm_arg(b, 1);
        gbench_bm_arg(b, 0);
    }
}

int main(int argc, char **argv)
{
    if (argc == 2 && strncmp(argv[1], CHILD_FLAG, strlen(CHILD_FLAG)) == 0)
        return child_main(argv[1] + strlen(CHILD_FLAG));
    return bench_main(argc, argv);
}
