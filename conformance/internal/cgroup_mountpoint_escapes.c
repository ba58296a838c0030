// /proc/self/mountinfo writes a blank, tab, newline or backslash in a mount
// point or mount root as an octal escape (\040, \011, \012, \134); the
// CPU limit is read from the unescaped path, not from a directory whose
// name holds the escape's text.  /proc/self/cgroup's path is not escaped.
// White-box: a fake tree under cgroup_test_root, read by cgroup_cpu_limit().
#include "cgroup_fake.h"

int main(void)
{
    fcg_init();

    /* ---- a blank and a tab in the v2 mount point ---------------------- */
    fcg_write("proc/self/cgroup", "0::/app\n");
    fcg_write("proc/self/mountinfo",
              FCG_MOUNTS_OTHER
              "29 23 0:26 / /mnt/my\\040cgroup\\011fs rw,relatime - cgroup2 cgroup2 rw\n");
    fcg_v2_limit("mnt/my cgroup\tfs/app", 150000, 100000);
    /* the escaped text taken literally */
    fcg_v2_limit("mnt/my\\040cgroup\\011fs/app", 10000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 1.5, "v2 mount point /mnt/my\\040cgroup\\011fs");

    /* the limit on the mount's top, reached by the walk up */
    fcg_v2_limit("mnt/my cgroup\tfs/app", -1, 100000);
    fcg_v2_limit("mnt/my cgroup\tfs", 70000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0.7, "the walk up stops at the unescaped mount point");

    /* ---- a backslash in the mount point, a blank in the mount root ---- */
    fcg_cleanup();
    fcg_init();
    fcg_write("proc/self/cgroup", "0::/my pod/ctr\n");
    fcg_write("proc/self/mountinfo",
              FCG_MOUNTS_OTHER
              "29 23 0:26 /my\\040pod /mnt/back\\134slash rw,relatime - cgroup2 cgroup2 rw\n");
    fcg_v2_limit("mnt/back\\slash/ctr", 250000, 100000);
    fcg_v2_limit("mnt/back\\134slash/ctr", 10000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 2.5, "mount root /my\\040pod, mount point /mnt/back\\134slash");

    /* ---- v1: a blank in the cpu controller's mount point -------------- */
    fcg_cleanup();
    fcg_init();
    fcg_write("proc/self/cgroup", "3:cpu,cpuacct:/grp\n0::/\n");
    fcg_write("proc/self/mountinfo",
              FCG_MOUNTS_OTHER
              "30 23 0:27 / /sys/fs/cgroup/cpu\\040cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");
    fcg_write("sys/fs/cgroup/cpu cpuacct/grp/cpu.cfs_quota_us", "50000\n");
    fcg_write("sys/fs/cgroup/cpu cpuacct/grp/cpu.cfs_period_us", "100000\n");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0.5, "v1 mount point /sys/fs/cgroup/cpu\\040cpuacct");
    return 0;
}
