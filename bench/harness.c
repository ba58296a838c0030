/*
 * harness.c — bench_harness: what the gbench loop costs per iteration, in
 * its three forms and against a plain C loop (bench/gbench/empty_loop.c).
 *
 *   build/bench/bench_harness [--benchmark_filter=volatile_inc]
 */
#include "gbench.h"

GBENCH_SETUP(register_harness)
{
    gbench_register_harness(true);
}

GBENCH_MAIN()
