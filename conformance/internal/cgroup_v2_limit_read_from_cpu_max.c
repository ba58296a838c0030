// cgroup v2: the CPU limit is cpu.max's QUOTA/PERIOD in CPUs, read from the
// process's own cgroup (named by /proc/self/cgroup's "0::PATH" line, found
// under the cgroup2 mount that /proc/self/mountinfo lists); "max" means no
// limit (0), and a new value is seen by the next read.
// White-box: a fake tree under cgroup_test_root, read by cgroup_cpu_limit().
#include "cgroup_fake.h"

int main(void)
{
    fcg_init();
    fcg_v2_setup("/app.slice/app.service");
    const char *leaf = "sys/fs/cgroup/app.slice/app.service";
    fcg_mkdir(leaf);
    /* the root and the middle level have no cpu.max (as a real root) */

    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "no cpu.max anywhere");

    fcg_v2_limit(leaf, 150000, 100000);
    CHECK_LIMIT(cgroup_cpu_limit(), 1.5);

    fcg_v2_limit(leaf, 50000, 100000);
    CHECK_LIMIT(cgroup_cpu_limit(), 0.5);

    fcg_v2_limit(leaf, 250000, 50000);          /* another period */
    CHECK_LIMIT(cgroup_cpu_limit(), 5.0);

    fcg_v2_limit(leaf, 1000, 1000000);          /* a thousandth of a CPU */
    CHECK_LIMIT(cgroup_cpu_limit(), 0.001);

    fcg_write("sys/fs/cgroup/app.slice/app.service/cpu.max", "350000 100000");   /* no newline */
    CHECK_LIMIT(cgroup_cpu_limit(), 3.5);

    fcg_v2_limit(leaf, -1, 100000);             /* "max 100000" */
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "cpu.max \"max 100000\" is no limit");
    return 0;
}
