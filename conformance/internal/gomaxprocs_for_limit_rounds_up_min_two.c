// GOMAXPROCS's default from a CPU limit (Go 1.25's rule): the limit in CPUs
// rounded up, not below 2 where there are 2 or more CPUs, never above the
// CPU count; no limit (0) gives the CPU count; with 1 CPU it is 1 whatever
// the limit.  A table of (cpus, limit) -> GOMAXPROCS through
// gomaxprocs_for_limit(), and default_gomaxprocs() applying it to the
// limit read from a fake cgroup tree and the stand-in CPU count.
#include "cgroup_fake.h"

static const struct { int cpus; double limit; int want; } cases[] = {
    /* no limit: the CPU count */
    { 8, 0, 8 },
    { 1, 0, 1 },
    { 2, 0, 2 },
    { 64, 0, 64 },
    /* whole limits */
    { 8, 3.0, 3 },
    { 8, 4.0, 4 },
    { 8, 7.0, 7 },
    /* fractions round up */
    { 8, 3.5, 4 },
    { 8, 3.000001, 4 },
    { 8, 2.01, 3 },
    { 8, 6.999, 7 },
    { 8, 7.2, 8 },
    /* not below 2 where there are 2 CPUs or more */
    { 8, 1.0, 2 },
    { 8, 1.5, 2 },
    { 8, 0.5, 2 },
    { 8, 0.001, 2 },
    { 2, 0.5, 2 },
    { 2, 1.0, 2 },
    { 3, 0.25, 2 },
    /* never above the CPU count */
    { 8, 8.0, 8 },
    { 8, 8.5, 8 },
    { 8, 12.0, 8 },
    { 2, 1.5, 2 },
    { 2, 3.0, 2 },
    { 3, 2.5, 3 },
    { 4, 1e9, 4 },
    /* one CPU: 1, however small or large the limit */
    { 1, 0.5, 1 },
    { 1, 0.01, 1 },
    { 1, 1.0, 1 },
    { 1, 1.5, 1 },
    { 1, 4.0, 1 },
    /* many CPUs */
    { 128, 31.3, 32 },
    { 128, 100.0, 100 },
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int got = gomaxprocs_for_limit(cases[i].cpus, cases[i].limit);
        CHECK_MSG(got == cases[i].want, "gomaxprocs_for_limit(%d, %g) = %d, want %d",
                  cases[i].cpus, cases[i].limit, got, cases[i].want);
    }

    /* default_gomaxprocs: the same rule on the limit it reads */
    fcg_init();
    fcg_v2_setup("/app");
    static const struct { int cpus; long long quota, period; int want; } dflt[] = {
        { 8, -1, 100000, 8 },
        { 8, 350000, 100000, 4 },
        { 8, 50000, 100000, 2 },
        { 8, 1200000, 100000, 8 },
        { 1, 50000, 100000, 1 },
        { 16, 1000000, 100000, 10 },
    };
    for (size_t i = 0; i < sizeof dflt / sizeof *dflt; i++) {
        cgroup_test_cpus = dflt[i].cpus;
        fcg_v2_limit("sys/fs/cgroup/app", dflt[i].quota, dflt[i].period);
        int got = default_gomaxprocs();
        CHECK_MSG(got == dflt[i].want, "%d CPUs, cpu.max %lld %lld: default_gomaxprocs() = %d, want %d",
                  dflt[i].cpus, dflt[i].quota, dflt[i].period, got, dflt[i].want);
    }
    return 0;
}
