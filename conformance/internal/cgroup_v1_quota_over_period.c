// cgroup v1: where the process has a v1 hierarchy with the `cpu` controller
// (named in /proc/self/cgroup's controller list, here "cpu,cpuacct" among
// other hierarchies), the CPU limit is cpu.cfs_quota_us / cpu.cfs_period_us
// (quota -1: none), the tightest of the cgroup and its ancestors, read
// under the `cgroup` mount whose super options name the cpu controller.
// Neither the cpuacct-only nor the cpuset hierarchy (whose name merely
// starts with "cpu") is taken for it, and in a hybrid setup the v1 cpu
// controller is used, not the unified hierarchy's cpu.max.
// White-box: a fake tree under cgroup_test_root, read by cgroup_cpu_limit().
#include "cgroup_fake.h"

#define CPU   "sys/fs/cgroup/cpu,cpuacct"
#define GRP   CPU "/grp"
#define LEAF  GRP "/leaf"

static void v1_limit(const char *dir, const char *quota, const char *period)
{
    char rel[512];
    snprintf(rel, sizeof rel, "%s/cpu.cfs_quota_us", dir);
    fcg_write(rel, quota);
    snprintf(rel, sizeof rel, "%s/cpu.cfs_period_us", dir);
    fcg_write(rel, period);
}

int main(void)
{
    fcg_init();
    fcg_write("proc/self/cgroup",
              "12:pids:/decoy\n"
              "11:cpuset:/decoy\n"
              "10:cpuacct:/decoy\n"
              "9:name=systemd:/decoy\n"
              "4:cpu,cpuacct:/grp/leaf\n"
              "3:memory:/decoy\n"
              "0::/decoy\n");
    fcg_write("proc/self/mountinfo",
              FCG_MOUNTS_OTHER
              "25 23 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:3 - tmpfs tmpfs ro,mode=755\n"
              "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
              "27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:5 - cgroup cgroup rw,xattr,name=systemd\n"
              "28 25 0:25 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:6 - cgroup cgroup rw,cpuset\n"
              "29 25 0:26 / /sys/fs/cgroup/cpuacct rw,nosuid,nodev,noexec,relatime shared:7 - cgroup cgroup rw,cpuacct\n"
              "30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:8 - cgroup cgroup rw,cpu,cpuacct\n"
              "31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,memory\n");
    /* Decoys, each tighter than the real limit: the same relative path in
     * the hierarchies that are not the cpu controller's, and in the unified
     * hierarchy, under both the process's path there and its v1 path. */
    v1_limit("sys/fs/cgroup/cpuset/grp/leaf", "1000", "100000");
    v1_limit("sys/fs/cgroup/cpuacct/grp/leaf", "1000", "100000");
    v1_limit("sys/fs/cgroup/cpuset/decoy", "1000", "100000");
    v1_limit("sys/fs/cgroup/cpuacct/decoy", "1000", "100000");
    fcg_v2_limit("sys/fs/cgroup/unified/decoy", 1000, 100000);
    fcg_v2_limit("sys/fs/cgroup/unified/grp/leaf", 1000, 100000);
    fcg_v2_limit("sys/fs/cgroup/unified", 1000, 100000);

    /* the root cgroup of the cpu hierarchy: unlimited, as a real root */
    v1_limit(CPU, "-1\n", "100000\n");

    /* leaf unlimited, its parent 250000/100000 */
    v1_limit(LEAF, "-1\n", "100000\n");
    v1_limit(GRP, "250000\n", "100000\n");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 2.5, "leaf -1, parent 250000/100000");

    /* another period */
    v1_limit(GRP, "50000\n", "20000\n");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 2.5, "parent 50000/20000");

    /* the leaf's own quota, tighter */
    v1_limit(LEAF, "120000\n", "100000\n");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 1.2, "leaf 1.2, parent 2.5");

    /* the leaf looser than its parent: the parent's */
    v1_limit(LEAF, "400000\n", "100000\n");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 2.5, "leaf 4, parent 2.5");

    /* nothing limited: no limit, though every decoy is */
    v1_limit(LEAF, "-1\n", "100000\n");
    v1_limit(GRP, "-1\n", "100000\n");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "v1 cpu unlimited; the decoys must not be read");

    /* The controllers listed the other way round ("cpuacct,cpu"), as some
     * systems mount them: still the cpu controller. */
    fcg_write("proc/self/cgroup", "5:cpuacct,cpu:/grp/leaf\n0::/decoy\n");
    fcg_write("proc/self/mountinfo",
              FCG_MOUNTS_OTHER
              "26 23 0:23 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
              "29 23 0:26 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"
              "30 23 0:27 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpuacct,cpu\n");
    v1_limit(GRP, "75000\n", "100000\n");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0.75, "controllers listed as cpuacct,cpu");
    return 0;
}
