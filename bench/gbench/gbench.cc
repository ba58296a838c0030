// gbench.cc — the C API of gbench.h over Google Benchmark (1.7.x).
//
// Each registered C function is wrapped in a lambda that builds a
// gbench_state on its stack around the benchmark::State and calls the C
// function.  The iteration loop: the first test starts the timer through
// KeepRunningBatch(max_iterations) — the whole run as one batch, so that
// upstream's counter is spent at once — and the C side counts the
// iterations down itself (gbench_state.left_ or GBENCH_LOOP's local); the
// test that finds the count spent calls KeepRunning(), which stops the
// timer and returns false.
#include "gbench.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

benchmark::State &gb(const gbench_state *st)
{
    return *static_cast<benchmark::State *>(st->gb_);
}

benchmark::internal::Benchmark *bm(gbench_bm *b)
{
    return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

gbench_bm *c_bm(benchmark::internal::Benchmark *b)
{
    return reinterpret_cast<gbench_bm *>(b);
}

// Starts the loop: true with the run's whole iteration count granted.
bool start(gbench_state *st, int64_t *n)
{
    benchmark::State &s = gb(st);
    st->phase_ = 1;
    *n = s.max_iterations;
    if (s.KeepRunningBatch(*n))   // max_iterations >= 1
        return true;
    // An error before the loop (gbench_skip_with_error): KeepRunningBatch
    // has started and finished the run (its thread barriers included).
    st->phase_ = 2;
    *n = 0;
    return false;
}

bool finish(gbench_state *st)
{
    st->left_ = 0;
    if (st->phase_ == 1) {
        st->phase_ = 2;
        // Upstream's count is spent: this stops the timer, returns false.
        (void)gb(st).KeepRunning();
    }
    return false;
}

} // namespace

extern "C" {

bool gbench_keep_running_slow_(gbench_state *st)
{
    if (st->phase_ == 0) {
        int64_t n;
        if (!start(st, &n))
            return false;
        st->left_ = n - 1;   // this call grants the first iteration
        return true;
    }
    return finish(st);
}

int64_t gbench_loop_begin_(gbench_state *st)
{
    int64_t n = 0;
    if (st->phase_ == 0)
        (void)start(st, &n);
    return n;
}

bool gbench_loop_end_(gbench_state *st)
{
    return finish(st);
}

bool gbench_keep_running_batch(gbench_state *st, int64_t n)
{
    return gb(st).KeepRunningBatch(n);
}

int64_t gbench_max_iterations(const gbench_state *st) { return gb(st).max_iterations; }

int64_t gbench_iterations(const gbench_state *st)
{
    const benchmark::State &s = gb(st);
    if (st->phase_ == 1)   // inside gbench_keep_running()'s loop
        return s.max_iterations - st->left_ - 1;
    return s.iterations();
}

int64_t gbench_range(const gbench_state *st, int i)
{
    return gb(st).range(static_cast<std::size_t>(i));
}

void *gbench_data(const gbench_state *st) { return st->data_; }
int gbench_thread_index(const gbench_state *st) { return gb(st).thread_index(); }
int gbench_threads(const gbench_state *st) { return gb(st).threads(); }

void gbench_pause_timing(gbench_state *st) { gb(st).PauseTiming(); }
void gbench_resume_timing(gbench_state *st) { gb(st).ResumeTiming(); }
void gbench_set_iteration_time(gbench_state *st, double seconds)
{
    gb(st).SetIterationTime(seconds);
}

void gbench_counter(gbench_state *st, const char *name, double value, unsigned flags)
{
    using C = benchmark::Counter;
    int f = C::kDefaults;
    if (flags & GBENCH_COUNTER_RATE)
        f |= C::kIsRate;
    if (flags & GBENCH_COUNTER_AVG_THREADS)
        f |= C::kAvgThreads;
    if (flags & GBENCH_COUNTER_ITERATION_INVARIANT)
        f |= C::kIsIterationInvariant;
    if (flags & GBENCH_COUNTER_AVG_ITERATIONS)
        f |= C::kAvgIterations;
    if (flags & GBENCH_COUNTER_INVERT)
        f |= C::kInvert;
    gb(st).counters[name] = C(value, static_cast<C::Flags>(f),
                              (flags & GBENCH_COUNTER_KIBI) ? C::kIs1024 : C::kIs1000);
}

void gbench_set_items_processed(gbench_state *st, int64_t items) { gb(st).SetItemsProcessed(items); }
void gbench_set_bytes_processed(gbench_state *st, int64_t bytes) { gb(st).SetBytesProcessed(bytes); }
void gbench_set_label(gbench_state *st, const char *label) { gb(st).SetLabel(label); }

void gbench_skip_with_error(gbench_state *st, const char *msg)
{
    gb(st).SkipWithError(msg);
    st->left_ = 0;   // the next gbench_keep_running() ends the loop
}

bool gbench_error_occurred(const gbench_state *st) { return gb(st).error_occurred(); }

gbench_bm *gbench_register_data(const char *name, gbench_fn fn, void *data)
{
    return c_bm(benchmark::RegisterBenchmark(name, [fn, data](benchmark::State &s) {
        gbench_state st;
        st.left_ = 0;
        st.gb_ = &s;
        st.data_ = data;
        st.phase_ = 0;
        fn(&st);
    }));
}

gbench_bm *gbench_register(const char *name, gbench_fn fn)
{
    return gbench_register_data(name, fn, nullptr);
}

gbench_bm *gbench_bm_arg(gbench_bm *b, int64_t x) { return c_bm(bm(b)->Arg(x)); }

gbench_bm *gbench_bm_args(gbench_bm *b, const int64_t *xs, int n)
{
    return c_bm(bm(b)->Args(std::vector<int64_t>(xs, xs + n)));
}

gbench_bm *gbench_bm_range(gbench_bm *b, int64_t lo, int64_t hi) { return c_bm(bm(b)->Range(lo, hi)); }

gbench_bm *gbench_bm_ranges(gbench_bm *b, const int64_t *lo_hi, int n)
{
    std::vector<std::pair<int64_t, int64_t>> r;
    for (int i = 0; i < n; i++)
        r.emplace_back(lo_hi[2 * i], lo_hi[2 * i + 1]);
    return c_bm(bm(b)->Ranges(r));
}

gbench_bm *gbench_bm_dense_range(gbench_bm *b, int64_t lo, int64_t hi, int step)
{
    return c_bm(bm(b)->DenseRange(lo, hi, step));
}

gbench_bm *gbench_bm_range_multiplier(gbench_bm *b, int m) { return c_bm(bm(b)->RangeMultiplier(m)); }
gbench_bm *gbench_bm_arg_name(gbench_bm *b, const char *name) { return c_bm(bm(b)->ArgName(name)); }

gbench_bm *gbench_bm_arg_names(gbench_bm *b, const char *const *names, int n)
{
    return c_bm(bm(b)->ArgNames(std::vector<std::string>(names, names + n)));
}

gbench_bm *gbench_bm_use_real_time(gbench_bm *b) { return c_bm(bm(b)->UseRealTime()); }
gbench_bm *gbench_bm_use_manual_time(gbench_bm *b) { return c_bm(bm(b)->UseManualTime()); }
gbench_bm *gbench_bm_measure_process_cpu_time(gbench_bm *b) { return c_bm(bm(b)->MeasureProcessCPUTime()); }
gbench_bm *gbench_bm_min_time(gbench_bm *b, double seconds) { return c_bm(bm(b)->MinTime(seconds)); }
gbench_bm *gbench_bm_iterations(gbench_bm *b, int64_t n) { return c_bm(bm(b)->Iterations(n)); }
gbench_bm *gbench_bm_repetitions(gbench_bm *b, int n) { return c_bm(bm(b)->Repetitions(n)); }
gbench_bm *gbench_bm_threads(gbench_bm *b, int n) { return c_bm(bm(b)->Threads(n)); }

gbench_bm *gbench_bm_unit(gbench_bm *b, gbench_unit unit)
{
    benchmark::TimeUnit u = benchmark::kNanosecond;
    switch (unit) {
    case GBENCH_NS: u = benchmark::kNanosecond; break;
    case GBENCH_US: u = benchmark::kMicrosecond; break;
    case GBENCH_MS: u = benchmark::kMillisecond; break;
    case GBENCH_S:  u = benchmark::kSecond; break;
    }
    return c_bm(bm(b)->Unit(u));
}

gbench_bm *gbench_bm_report_aggregates_only(gbench_bm *b, bool only)
{
    return c_bm(bm(b)->ReportAggregatesOnly(only));
}

void gbench_add_context(const char *key, const char *value)
{
    benchmark::AddCustomContext(key, value);
}

// Google Benchmark's own loop, for bench_harness's comparison: the C++
// range-for around the same bodies as empty_loop.c's.
void gbench_register_native_loops_(void)
{
    benchmark::RegisterBenchmark("harness/empty_loop/gb_native", [](benchmark::State &s) {
        for (auto _ : s)
            benchmark::ClobberMemory();
    });
    benchmark::RegisterBenchmark("harness/volatile_inc/gb_native", [](benchmark::State &s) {
        static volatile int64_t sink;
        for (auto _ : s)
            sink = sink + 1;
    });
}

int gbench_main(int argc, char **argv)
{
    gbench_register_harness(false);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

} // extern "C"
