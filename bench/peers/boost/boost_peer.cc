/*
 * boost_peer.cc — the Boost peer of gort's benchmark suite (bench/SUITE.md):
 * Boost.Fiber and Boost.Context on the same workloads as gort.  C++ and
 * Google Benchmark's C++ API directly (no gbench.h).
 *
 *   spawn/boost_fiber             one fiber created, run and joined per
 *                                 iteration                        per_task
 *   spawn_batch/boost_fiber       1000 fibers created, then all joined
 *                                                                  per_task
 *   yield/boost_fiber             two fibers yield to each other
 *                                 (this_fiber::yield)              per_switch
 *   yield/boost_context           raw boost::context::fiber: resume a fiber
 *                                 that resumes straight back       per_switch
 *   yield/boost_fcontext          the same on Boost.Context's bare fcontext
 *                                 (jump_fcontext): the floor       per_switch
 *   pingpong/boost_fiber_unbuffered  a round trip over two
 *                                 unbuffered_channel<int64_t>   per_round_trip
 *   pingpong/boost_fiber_buffered2   the same over buffered_channel of
 *                                 capacity 2                    per_round_trip
 *
 * Threads.  Everything runs on Google Benchmark's own thread with Boost.Fiber's
 * default scheduler, round_robin, on that one thread (no procs:P argument:
 * SUITE.md lists the Boost entries without it).  The benchmark loop itself
 * runs in the thread's main fiber (Boost.Fiber's "main context"), which can
 * yield, join and use channels like any fiber; its partner is one
 * boost::fibers::fiber.  Fibers get Boost's default stack (fixedsize_stack,
 * malloc'd, 128 KiB in 1.74) and the default launch policy (post: a new fiber
 * runs when the creator next blocks or yields).
 *
 * Times are wall-clock (UseRealTime), CPU time the process's
 * (MeasureProcessCPUTime), as everywhere in the suite.  Each primary figure
 * is a counter in seconds per unit (rate | iteration-invariant | invert).
 *
 * MXCSR.  Boost.Context's jump_fcontext (x86-64) saves MXCSR and the x87
 * control word of the side it leaves and loads those of the side it enters,
 * on every switch; a new context starts with the MXCSR of its creator at
 * make_fcontext time.  MXCSR also holds the sticky exception flags (bits 0-5):
 * once one side has, say, the inexact flag set (any inexact floating-point
 * operation sets it, e.g. Google Benchmark's own timer arithmetic when the
 * loop starts) and the other side has not, every ldmxcsr changes the register
 * and a switch costs ~54 ns instead of ~4 ns (measured on the project's VM).  That would
 * measure the flags, not the switch.  So: (1) no floating point happens inside
 * any timed loop or in any fiber; (2) the benchmark thread clears the sticky
 * flags right after the timer has started (timed_loop() below: after
 * State::end(), which starts the timer, before the first iteration), and every
 * partner fiber / context clears them on entry, so both sides of every switch
 * hold the same MXCSR (the default 0x1f80) for the whole loop; (3) main()
 * clears them before Boost.Fiber's per-thread scheduler (and its dispatcher
 * fiber, whose MXCSR is captured then) is created.  Fibers created inside a
 * loop (spawn) inherit the thread's cleared MXCSR, so they need nothing.
 * Only the flags are cleared; the control bits (rounding, masks) are left as
 * they are.  On other architectures clear_fp_flags() does nothing (AArch64
 * keeps the flags in FPSR, which Boost.Context does not switch).  On the 2-CPU
 * AMD EPYC VM a deliberate mismatch (fiber MXCSR 0x1fa0, main 0x1f80, bare
 * jump_fcontext loop) cost nothing measurable (~5.5-9 ns per switch either
 * way, within the VM's noise), so the penalty looks CPU-dependent; the
 * precaution costs one ldmxcsr per run and keeps the figure honest where it
 * does apply.
 *
 *   build/bench/bench_boost [--benchmark_filter=yield/] [--benchmark_format=json]
 */
#include <benchmark/benchmark.h>

#include <boost/context/detail/fcontext.hpp>
#include <boost/context/fiber.hpp>
#include <boost/fiber/all.hpp>
#include <boost/version.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

namespace {

constexpr int kBatch = 1000;

namespace ctx = boost::context;
namespace fcd = boost::context::detail;
namespace fibers = boost::fibers;

// Clears MXCSR's sticky exception flags (bits 0-5), keeping the control
// bits; see "MXCSR" above.
inline void clear_fp_flags()
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_setcsr(_mm_getcsr() & ~0x3fu);
#endif
}

// Google Benchmark's range-for, taken apart so that the sticky FP flags can
// be cleared after the timer has started (State::end() starts it, and its
// arithmetic may set the inexact flag) and before the first iteration.
template <class Body>
inline void timed_loop(benchmark::State &state, Body body)
{
    auto it = state.begin();
    auto end = state.end();
    clear_fp_flags();
    for (; it != end; ++it)
        body();
}

// The primary figure: seconds per unit, k units per iteration.
void per(benchmark::State &state, const char *name, double k)
{
    state.counters[name] = benchmark::Counter(
        k, benchmark::Counter::kIsRate | benchmark::Counter::kIsIterationInvariant |
               benchmark::Counter::kInvert);
}

// ---- spawn / spawn_batch ----------------------------------------------------

// The task does nothing; join() is its "signal".
void bm_spawn_fiber(benchmark::State &state)
{
    timed_loop(state, [] {
        fibers::fiber f([] {});
        f.join();
    });
    state.SetItemsProcessed(state.iterations());
    per(state, "per_task", 1);
}

// With the default stacks (128 KiB each from malloc) a batch of 1000 is
// 128 MiB of heap, which glibc hands back when the batch is freed, so every
// batch page-faults its stacks in again (~2-3 faults per fiber, measured with
// perf stat): on the 2-CPU VM that makes a task here cost ~20x one in
// spawn/boost_fiber, which reuses one stack.  That is Boost's default
// behaviour, so it is what this measures (pooled_fixedsize_stack would not).
void bm_spawn_batch_fiber(benchmark::State &state)
{
    std::vector<fibers::fiber> fs;
    fs.reserve(kBatch);
    timed_loop(state, [&fs] {
        for (int i = 0; i < kBatch; i++)
            fs.emplace_back([] {});
        for (auto &f : fs)
            f.join();
        fs.clear();
    });
    state.SetItemsProcessed(state.iterations() * kBatch);
    per(state, "per_task", kBatch);
}

// ---- yield ------------------------------------------------------------------

// The loop's fiber (the thread's main fiber) yields once, the partner once:
// two switches per iteration.  Boost.Fiber's own bookkeeping comes with it:
// in 1.74 each iteration also passes through the scheduler's dispatch loop,
// which reads steady_clock (one CLOCK_MONOTONIC read per iteration, counted
// with an LD_PRELOAD shim) and reaches the thread's scheduler through
// dynamic TLS (__tls_get_addr); perf shows these dominate, not the switch.
void bm_yield_fiber(benchmark::State &state)
{
    bool stop = false;
    fibers::fiber partner([&stop] {
        clear_fp_flags();
        while (!stop)
            boost::this_fiber::yield();
    });
    timed_loop(state, [] { boost::this_fiber::yield(); });
    stop = true;
    partner.join();
    per(state, "per_switch", 2);
}

// The floor through the public API: ctx::fiber (the callcc API).  One
// iteration = main resumes the fiber, the fiber resumes main = 2 switches.
void bm_yield_context(benchmark::State &state)
{
    bool stop = false;
    ctx::fiber f{[&stop](ctx::fiber &&back) {
        clear_fp_flags();
        while (!stop)
            back = std::move(back).resume();
        return std::move(back);
    }};
    timed_loop(state, [&f] { f = std::move(f).resume(); });
    stop = true;
    f = std::move(f).resume();   // lets the fiber return; f is then empty
    per(state, "per_switch", 2);
}

// The true floor: the bare fcontext under ctx::fiber (jump_fcontext /
// make_fcontext, declared in the installed boost/context/detail/fcontext.hpp
// and exported by libboost_context; an internal API, but stable since 1.61).
// Same shape as bm_yield_context without the fiber object's bookkeeping.
// The context never returns (returning from an fcontext entry calls _exit),
// so after the loop it is left suspended and its stack freed: nothing on it
// needs destroying.
[[noreturn]] void fcontext_entry(fcd::transfer_t t)
{
    clear_fp_flags();
    for (;;)
        t = fcd::jump_fcontext(t.fctx, nullptr);
}

void bm_yield_fcontext(benchmark::State &state)
{
    constexpr std::size_t kStack = 64 * 1024;
    std::unique_ptr<char[]> stack(new char[kStack]);
    fcd::fcontext_t c = fcd::make_fcontext(stack.get() + kStack, kStack, fcontext_entry);
    timed_loop(state, [&c] { c = fcd::jump_fcontext(c, nullptr).fctx; });
    per(state, "per_switch", 2);
}

// ---- pingpong ---------------------------------------------------------------

// A (the thread's main fiber, the loop) sends i to B, B sends i + 1 back; B
// lives across iterations and ends when A closes its channel.
template <class Chan>
void pingpong(benchmark::State &state, Chan &ab, Chan &ba)
{
    fibers::fiber b([&ab, &ba] {
        clear_fp_flags();
        std::int64_t v;
        while (ab.pop(v) == fibers::channel_op_status::success)
            ba.push(v + 1);
    });
    std::int64_t i = 0;
    bool wrong = false;
    timed_loop(state, [&] {
        std::int64_t v = 0;
        ab.push(i);
        ba.pop(v);
        wrong |= v != i + 1;
        i++;
    });
    ab.close();
    b.join();
    if (wrong)
        state.SkipWithError("pingpong: a reply did not match its request");
    per(state, "per_round_trip", 1);
}

void bm_pingpong_unbuffered(benchmark::State &state)
{
    fibers::unbuffered_channel<std::int64_t> ab, ba;
    pingpong(state, ab, ba);
}

// SUITE.md's peers use capacity 1 (`*_buffered1`), but Boost's
// buffered_channel requires a capacity that is a power of two >= 2 (it throws
// fiber_error otherwise), so this is capacity 2, named buffered2.  In a
// strict ping-pong at most one value is ever queued per direction, so the
// extra slot is never used.
void bm_pingpong_buffered2(benchmark::State &state)
{
    fibers::buffered_channel<std::int64_t> ab(2), ba(2);
    pingpong(state, ab, ba);
}

benchmark::internal::Benchmark *timed(benchmark::internal::Benchmark *b)
{
    return b->UseRealTime()->MeasureProcessCPUTime();
}

} // namespace

int main(int argc, char **argv)
{
    // Create Boost.Fiber's scheduler for this thread (and its dispatcher
    // fiber, which starts with this MXCSR) with clear FP flags.
    clear_fp_flags();
    boost::this_fiber::yield();

    timed(benchmark::RegisterBenchmark("spawn/boost_fiber", bm_spawn_fiber));
    timed(benchmark::RegisterBenchmark("spawn_batch/boost_fiber", bm_spawn_batch_fiber))
        ->Unit(benchmark::kMicrosecond);
    timed(benchmark::RegisterBenchmark("yield/boost_fiber", bm_yield_fiber));
    timed(benchmark::RegisterBenchmark("yield/boost_context", bm_yield_context));
    timed(benchmark::RegisterBenchmark("yield/boost_fcontext", bm_yield_fcontext));
    timed(benchmark::RegisterBenchmark("pingpong/boost_fiber_unbuffered",
                                       bm_pingpong_unbuffered));
    timed(benchmark::RegisterBenchmark("pingpong/boost_fiber_buffered2",
                                       bm_pingpong_buffered2));

    benchmark::AddCustomContext("boost_version", BOOST_LIB_VERSION);
    benchmark::AddCustomContext("boost_fiber_scheduler", "round_robin, one thread");

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
