/*
 * empty_loop.c — what gbench's iteration loop itself costs (part of the
 * gort_gbench library; see gbench.h).
 *
 * harness/empty_loop is the figure to subtract: `while
 * (gbench_keep_running(st))` around a compiler barrier, i.e. the loop as a
 * benchmark with a real body (calls, memory side effects) runs it, its
 * counter stored and reloaded each iteration.  Every binary linked with
 * gort_gbench registers it first (gbench_main() refers to this file), so
 * every result file shows it.
 *
 * bench_harness (gbench_register_harness(true)) adds the comparison:
 *   .../while   gbench_keep_running(st)
 *   .../for     GBENCH_LOOP(st), counter in a register
 *   .../c_loop  a plain C for loop over the run's iteration count, inside one
 *               gbench_keep_running_batch() — the C baseline; the wrapper
 *               is entered twice per run, whatever the count.
 *   .../gb_native  Google Benchmark's own `for (auto _ : state)` in C++
 *               (empty and volatile_inc only; gbench.cc).
 * for three bodies: empty (a compiler barrier), a volatile increment, and a
 * call of a function the compiler cannot see into.
 */
#include "gbench.h"

#include <stddef.h>

/* ---- bodies -------------------------------------------------------------- */

static volatile int64_t sink;

__attribute__((noinline)) static void opaque_call(void)
{
    gbench_clobber_memory();   /* an empty function the compiler must call */
}

#define BODY_EMPTY() gbench_clobber_memory()
#define BODY_VOLATILE_INC() (sink = sink + 1)
#define BODY_CALL() opaque_call()

/* ---- the three loop forms for each body ------------------------------------ */

#define LOOP_FORMS(tag, BODY) \
    static void bm_##tag##_while(gbench_state *st) \
    { \
        while (gbench_keep_running(st)) \
            BODY(); \
    } \
    static void bm_##tag##_for(gbench_state *st) \
    { \
        GBENCH_LOOP(st) \
            BODY(); \
    } \
    static void bm_##tag##_c_loop(gbench_state *st) \
    { \
        int64_t n = gbench_max_iterations(st); \
        while (gbench_keep_running_batch(st, n)) \
            for (int64_t i = 0; i < n; i++) \
                BODY(); \
    }

LOOP_FORMS(empty, BODY_EMPTY)
LOOP_FORMS(volatile_inc, BODY_VOLATILE_INC)
LOOP_FORMS(call, BODY_CALL)

static const struct {
    const char *name;
    gbench_fn fn;
} all_loops[] = {
    {"harness/empty_loop/for", bm_empty_for},
    {"harness/empty_loop/c_loop", bm_empty_c_loop},
    {"harness/volatile_inc/while", bm_volatile_inc_while},
    {"harness/volatile_inc/for", bm_volatile_inc_for},
    {"harness/volatile_inc/c_loop", bm_volatile_inc_c_loop},
    {"harness/call/while", bm_call_while},
    {"harness/call/for", bm_call_for},
    {"harness/call/c_loop", bm_call_c_loop},
};

void gbench_register_harness(bool all)
{
    static bool have_empty, have_all;
    if (!have_empty) {
        have_empty = true;
        gbench_register("harness/empty_loop", bm_empty_while);
    }
    if (all && !have_all) {
        have_all = true;
        for (size_t i = 0; i < sizeof all_loops / sizeof all_loops[0]; i++)
            gbench_register(all_loops[i].name, all_loops[i].fn);
        gbench_register_native_loops_();
    }
}

/* Registered ahead of the benchmark files' GBENCH_SETUP constructors (which
 * have the default priority), so that it runs first in every binary. */
__attribute__((constructor(101))) static void register_empty_loop(void)
{
    gbench_register_harness(false);
}
