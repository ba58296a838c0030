/*
 * gbench.h — a small C API over Google Benchmark (C++), so that gort's
 * benchmarks are written in C.  Implementation: gbench.cc (library
 * gort_gbench); link with -lbenchmark -lpthread.
 *
 * A benchmark file:
 *
 *     #include "gbench.h"
 *
 *     static void bm_spawn(gbench_state *st)
 *     {
 *         int64_t n = gbench_range(st, 0);          // this run's argument
 *         while (gbench_keep_running(st)) {
 *             ... one iteration ...
 *         }
 *         gbench_set_items_processed(st, gbench_iterations(st) * n);
 *     }
 *
 *     GBENCH_SETUP(register_spawn)                 // runs before main
 *     {
 *         gbench_bm *b = gbench_register("spawn/gort", bm_spawn);
 *         gbench_bm_arg_name(b, "n");
 *         gbench_bm_range(b, 1, 1024);
 *         gbench_bm_use_real_time(b);
 *     }
 *
 *     GBENCH_MAIN()
 *
 * Registration.  GBENCH_SETUP(fn) { ... } defines fn and runs it from an
 * ELF constructor (__attribute__((constructor))) before main, as Google
 * Benchmark's own BENCHMARK() macro registers from a static initializer.
 * Registration needs options and arguments, which C cannot chain
 * (`BENCHMARK(f)->Arg(1)->UseRealTime()`), so one setup function per file
 * registers everything with explicit calls; several files (several setup
 * functions) can go into one binary, and any of them may also register from
 * main() before calling gbench_main().  GBENCH(fn) is the shorthand for a
 * benchmark without options, named after its function.  Each benchmark file
 * is compiled into its executable directly (a constructor in a static
 * library member that nothing references would be dropped by the linker).
 *
 * The iteration loop, three ways (all measured by bench_harness):
 *
 *   while (gbench_keep_running(st)) { ... }
 *       The usual form.  The fast path is inline (a decrement and a branch
 *       on a counter kept in *st); the library is called only on the first
 *       and the last test.  Because the counter lives in memory, a loop
 *       whose body is a compiler barrier (or an opaque call) reloads and
 *       stores it every iteration; out-of-order execution overlaps that
 *       with any real body, and bench_harness shows what is left.
 *
 *   GBENCH_LOOP(st) { ... }
 *       Same semantics, counter in a local variable (a register): the
 *       equivalent of Google Benchmark's `for (auto _ : state)`, the
 *       cheapest loop, for bodies of a few nanoseconds.  Like the range-for,
 *       leave it early only after gbench_skip_with_error().
 *
 *   while (gbench_keep_running_batch(st, n)) { for (i < n) ... }
 *       Google Benchmark's KeepRunningBatch: the body does n iterations
 *       itself (n = gbench_max_iterations(st) gives one batch for the run).
 *
 * Measured on the 2-CPU AMD EPYC VM (gcc 12 -O2, bench_harness, medians of
 * 3 runs): every form costs what a plain C loop and Google Benchmark's own
 * C++ loop cost, ~0.3 ns (one cycle) per empty iteration, 1.4 ns around an
 * opaque call; the while form's in-memory counter adds one cycle (0.56 ns
 * against 0.28 ns) only around a volatile increment.  bench/README.md.
 *
 * Every binary built with gbench_main() also runs `harness/empty_loop`
 * (the empty while-loop above), so each result file carries the loop's own
 * per-iteration cost next to the figures it affects; --benchmark_filter
 * leaves it out like any other benchmark.
 *
 * Timing and threads.  Google Benchmark times the thread that runs the
 * benchmark function, with real (wall-clock) time and that thread's CPU
 * time.  A benchmark whose work runs on other threads — every gort
 * benchmark, whose goroutines run on the runtime's threads and may migrate
 * between them — should use gbench_bm_use_real_time() and usually
 * gbench_bm_measure_process_cpu_time() (CPU time of the whole process).
 * The gbench_state functions may be called from a goroutine running the
 * loop (gort_run(fn, st) from the benchmark function): they hold no lock
 * across calls and use no thread-local state.
 *
 * Flags: gbench_main() accepts all of Google Benchmark's command-line flags
 * (--benchmark_filter=REGEX, --benchmark_format=console|json|csv,
 * --benchmark_out=FILE, --benchmark_out_format=, --benchmark_min_time=S,
 * --benchmark_repetitions=N, --benchmark_list_tests, ...) and rejects
 * unknown ones.
 */
#ifndef GBENCH_H
#define GBENCH_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- State passed to a running benchmark ------------------------------- */

/* The fields are private to gbench.cc and gbench_keep_running(); the type is
 * complete only so that the loop's fast path can be inline. */
typedef struct gbench_state {
    int64_t left_;    /* iterations gbench_keep_running() may still grant inline */
    void   *gb_;      /* benchmark::State * */
    void   *data_;    /* gbench_register_data()'s data */
    int     phase_;   /* 0 before the loop, 1 in it, 2 after it */
} gbench_state;

typedef void (*gbench_fn)(gbench_state *st);

bool gbench_keep_running_slow_(gbench_state *st);
int64_t gbench_loop_begin_(gbench_state *st);
bool gbench_loop_end_(gbench_state *st);

/* True while the benchmark should run another iteration; the timer starts
 * at the first call and stops at the call that returns false.  The function
 * must not return before that call (unless gbench_skip_with_error()). */
static inline bool gbench_keep_running(gbench_state *st)
{
    if (__builtin_expect(st->left_ > 0, 1)) {
        st->left_--;
        return true;
    }
    return gbench_keep_running_slow_(st);
}

/* for-loop form, counter in a register; see above. */
#define GBENCH_LOOP(st) \
    for (int64_t gbench_left_ = gbench_loop_begin_(st); \
         gbench_left_ > 0 || gbench_loop_end_(st); --gbench_left_)

/* Google Benchmark's KeepRunningBatch(n): true while n more iterations are
 * wanted (the last batch may overshoot max_iterations, as upstream). */
bool    gbench_keep_running_batch(gbench_state *st, int64_t n);
/* The iteration count Google Benchmark asks of this run. */
int64_t gbench_max_iterations(const gbench_state *st);
/* Iterations done so far (after the loop: all of them). */
int64_t gbench_iterations(const gbench_state *st);

/* Argument i of this run (Google Benchmark's state.range(i)). */
int64_t gbench_range(const gbench_state *st, int i);
/* The pointer given to gbench_register_data(), NULL otherwise. */
void   *gbench_data(const gbench_state *st);
int     gbench_thread_index(const gbench_state *st);
int     gbench_threads(const gbench_state *st);

/* Each reads the wall clock and the CPU clock: a pause+resume pair costs
 * ~0.5 us on the 2-CPU VM.  Keep them out of loops that measure less than
 * tens of microseconds; prefer setting up outside the loop. */
void gbench_pause_timing(gbench_state *st);
void gbench_resume_timing(gbench_state *st);
/* With gbench_bm_use_manual_time(): this iteration's time, in seconds. */
void gbench_set_iteration_time(gbench_state *st, double seconds);

/* Counter flags (Google Benchmark's benchmark::Counter::Flags). */
enum {
    GBENCH_COUNTER_DEFAULT          = 0,
    GBENCH_COUNTER_RATE             = 1 << 0, /* divided by the run's time */
    GBENCH_COUNTER_AVG_THREADS      = 1 << 1, /* divided by the thread count */
    GBENCH_COUNTER_ITERATION_INVARIANT = 1 << 2, /* multiplied by the iterations */
    GBENCH_COUNTER_AVG_ITERATIONS   = 1 << 3, /* divided by the iterations */
    GBENCH_COUNTER_INVERT           = 1 << 4, /* 1/x, applied last */
    GBENCH_COUNTER_KIBI             = 1 << 5  /* display with 1024 per k, not 1000 */
};
/* Sets counter `name` of this run (replaces an earlier value).  E.g. the
 * time per item when each iteration handles k items:
 *   gbench_counter(st, "per_item", k, GBENCH_COUNTER_RATE |
 *                  GBENCH_COUNTER_ITERATION_INVARIANT | GBENCH_COUNTER_INVERT)
 * is reported in seconds. */
void gbench_counter(gbench_state *st, const char *name, double value, unsigned flags);
/* Totals for the run (call after the loop); reported as items_per_second
 * and bytes_per_second. */
void gbench_set_items_processed(gbench_state *st, int64_t items);
void gbench_set_bytes_processed(gbench_state *st, int64_t bytes);
void gbench_set_label(gbench_state *st, const char *label);
/* Marks the run failed (reported with the message, no timings).  Inside
 * gbench_keep_running() the loop then ends at its next test; leave a
 * GBENCH_LOOP with break; the function may return at once. */
void gbench_skip_with_error(gbench_state *st, const char *msg);
bool gbench_error_occurred(const gbench_state *st);

/* Keep the compiler from deleting a computation (Google Benchmark's
 * DoNotOptimize: x must be an lvalue) or from keeping memory in registers
 * across this point (ClobberMemory). */
#if defined(__clang__)
#define gbench_do_not_optimize(x) __asm__ volatile("" : "+r,m"(x) : : "memory")
#else
#define gbench_do_not_optimize(x) __asm__ volatile("" : "+m,r"(x) : : "memory")
#endif
#define gbench_clobber_memory() __asm__ volatile("" : : : "memory")

/* ---- Registration ------------------------------------------------------ */

typedef struct gbench_bm gbench_bm;   /* benchmark::internal::Benchmark */

gbench_bm *gbench_register(const char *name, gbench_fn fn);
gbench_bm *gbench_register_data(const char *name, gbench_fn fn, void *data);

typedef enum { GBENCH_NS, GBENCH_US, GBENCH_MS, GBENCH_S } gbench_unit;

/* Options; each returns b.  Upstream's names: Arg, Args, Range, Ranges,
 * DenseRange, RangeMultiplier, ArgName, ArgNames, UseRealTime,
 * UseManualTime, MeasureProcessCPUTime, MinTime, Iterations, Repetitions,
 * Unit, Threads, ReportAggregatesOnly. */
gbench_bm *gbench_bm_arg(gbench_bm *b, int64_t x);
gbench_bm *gbench_bm_args(gbench_bm *b, const int64_t *xs, int n);     /* one run, n arguments */
gbench_bm *gbench_bm_range(gbench_bm *b, int64_t lo, int64_t hi);      /* lo, powers of the multiplier, hi */
gbench_bm *gbench_bm_ranges(gbench_bm *b, const int64_t *lo_hi, int n); /* n (lo, hi) pairs: the product */
gbench_bm *gbench_bm_dense_range(gbench_bm *b, int64_t lo, int64_t hi, int step);
gbench_bm *gbench_bm_range_multiplier(gbench_bm *b, int m);
gbench_bm *gbench_bm_arg_name(gbench_bm *b, const char *name);
gbench_bm *gbench_bm_arg_names(gbench_bm *b, const char *const *names, int n);
gbench_bm *gbench_bm_use_real_time(gbench_bm *b);
gbench_bm *gbench_bm_use_manual_time(gbench_bm *b);
gbench_bm *gbench_bm_measure_process_cpu_time(gbench_bm *b);
gbench_bm *gbench_bm_min_time(gbench_bm *b, double seconds);
gbench_bm *gbench_bm_iterations(gbench_bm *b, int64_t n);
gbench_bm *gbench_bm_repetitions(gbench_bm *b, int n);
gbench_bm *gbench_bm_unit(gbench_bm *b, gbench_unit unit);
gbench_bm *gbench_bm_threads(gbench_bm *b, int n);
gbench_bm *gbench_bm_report_aggregates_only(gbench_bm *b, bool only);

/* A key and value for the "context" section of the report (machine facts,
 * runtime settings).  Call before gbench_main() runs the benchmarks. */
void gbench_add_context(const char *key, const char *value);

#define GBENCH_SETUP(fn) \
    static void fn(void); \
    __attribute__((constructor)) static void gbench_setup_##fn##_(void) { fn(); } \
    static void fn(void)

#define GBENCH(fn) \
    __attribute__((constructor)) static void gbench_register_##fn##_(void) \
    { gbench_register(#fn, (fn)); }

/* ---- main -------------------------------------------------------------- */

/* Parses Google Benchmark's flags (an unknown flag: message, return 1),
 * runs the selected benchmarks (harness/empty_loop included), returns 0. */
int gbench_main(int argc, char **argv);
#define GBENCH_MAIN() int main(int argc, char **argv) { return gbench_main(argc, argv); }

/* The loop-cost benchmarks of bench/gbench/empty_loop.c: `harness/empty_loop`
 * alone (what gbench_main() adds to every binary), or with all (true) the
 * comparison set run by bench_harness.  Registers each set once. */
void gbench_register_harness(bool all);
void gbench_register_native_loops_(void);   /* the C++ range-for, for comparison */

#ifdef __cplusplus
}
#endif
#endif /* GBENCH_H */
