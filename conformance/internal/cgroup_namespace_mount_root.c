// In a cgroup namespace or a bind mount the cgroup filesystem shows only a
// subtree: /proc/self/mountinfo's root field (4th) names the cgroup at the
// mount point, not "/".  The process's cgroup path from /proc/self/cgroup is
// found below that root (mount point + the path past the root), the walk
// up stops at the mount point (the root field's cgroup, a level of its
// own), and a mount whose root does not hold the process's cgroup is not
// used.  Checked for v2 and for v1's cpu controller.
// White-box: a fake tree under cgroup_test_root, read by cgroup_cpu_limit().
#include "cgroup_fake.h"

int main(void)
{
    fcg_init();

    /* ---- v2: container's view, mount root /kubepods/pod1 ---------------- */
    fcg_write("proc/self/cgroup", "0::/kubepods/pod1/ctr\n");
    fcg_write("proc/self/mountinfo",
              FCG_MOUNTS_OTHER
              /* another subtree of the same hierarchy, listed first: its
               * root /kubepods/pod is a prefix of /kubepods/pod1/ctr's
               * text but no ancestor of it */
              "28 23 0:26 /kubepods/pod /mnt/other rw - cgroup2 cgroup2 rw\n"
              "29 23 0:26 /kubepods/pod1 /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n");
    fcg_mkdir("sys/fs/cgroup/ctr");
    fcg_v2_limit("sys/fs/cgroup/ctr", -1, 100000);
    fcg_v2_limit("sys/fs/cgroup", 120000, 100000);           /* pod1 itself */
    /* where the path would lead if the mount root were ignored */
    fcg_v2_limit("sys/fs/cgroup/kubepods/pod1/ctr", 10000, 100000);
    fcg_v2_limit("sys/fs/cgroup/kubepods/pod1", 10000, 100000);
    /* the other mount's tree */
    fcg_v2_limit("mnt/other", 20000, 100000);
    fcg_v2_limit("mnt/other/ctr", 20000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 1.2, "v2: mount root /kubepods/pod1, limit on pod1");

    fcg_v2_limit("sys/fs/cgroup/ctr", 90000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0.9, "v2: the container's own cgroup, tighter");

    /* the process in the mount root's cgroup itself */
    fcg_write("proc/self/cgroup", "0::/kubepods/pod1\n");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 1.2, "v2: process at the mount root");

    /* no mount holds the process's cgroup: no limit */
    fcg_write("proc/self/cgroup", "0::/system.slice/foo\n");
    fcg_v2_limit("sys/fs/cgroup/system.slice/foo", 10000, 100000);
    fcg_v2_limit("mnt/other/system.slice/foo", 10000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "v2: the cgroup is outside every mount");

    /* ---- v1: docker-style mount root /docker/abc, path below it --------- */
    fcg_cleanup();
    fcg_init();
    fcg_write("proc/self/cgroup", "7:cpu,cpuacct:/docker/abc/inner\n0::/\n");
    fcg_write("proc/self/mountinfo",
              FCG_MOUNTS_OTHER
              "30 23 0:27 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,nosuid master:11 - cgroup cgroup rw,cpu,cpuacct\n");
    fcg_write("sys/fs/cgroup/cpu,cpuacct/inner/cpu.cfs_quota_us", "-1\n");
    fcg_write("sys/fs/cgroup/cpu,cpuacct/inner/cpu.cfs_period_us", "100000\n");
    fcg_write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "300000\n");    /* abc itself */
    fcg_write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
    fcg_write("sys/fs/cgroup/cpu,cpuacct/docker/abc/inner/cpu.cfs_quota_us", "1000\n");
    fcg_write("sys/fs/cgroup/cpu,cpuacct/docker/abc/inner/cpu.cfs_period_us", "100000\n");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 3.0, "v1: mount root /docker/abc, limit on abc");
    return 0;
}
