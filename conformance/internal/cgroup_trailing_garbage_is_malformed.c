// A limit file with anything but the number(s) and a final newline is
// malformed and means no limit at that level: cpu.max "50000 100000 junk",
// "50000abc 100000", "50000 100000abc"; cpu.cfs_quota_us "50000abc" or
// "5e4" (read today as 50000 or as a 5 us quota), cpu.cfs_period_us
// "100000xyz".  (As Go's parser, which wants exactly the fields.)
#include "cgroup_fake.h"

int main(void)
{
    fcg_init();
    fcg_v2_setup("/app");
    static const char *v2[] = { "50000 100000 junk\n", "50000abc 100000\n", "50000 100000abc\n",
                                "50000 100000 200000\n" };
    for (size_t i = 0; i < sizeof v2 / sizeof *v2; i++) {
        fcg_write("sys/fs/cgroup/app/cpu.max", v2[i]);
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "cpu.max \"%s\"", v2[i]);
    }
    fcg_write("proc/self/cgroup", "4:cpu:/g\n");
    fcg_write("proc/self/mountinfo", "30 23 0:27 / /c rw - cgroup cgroup rw,cpu\n");
    static const struct { const char *q, *p; } v1[] = {
        { "50000abc\n", "100000\n" }, { "5e4\n", "100000\n" }, { "50000\n", "100000xyz\n" },
    };
    for (size_t i = 0; i < sizeof v1 / sizeof *v1; i++) {
        fcg_write("c/g/cpu.cfs_quota_us", v1[i].q);
        fcg_write("c/g/cpu.cfs_period_us", v1[i].p);
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "quota \"%s\" period \"%s\"", v1[i].q, v1[i].p);
    }
    return 0;
}
