// cgroup v2: a cgroup runs no faster than any of its ancestors, so the CPU
// limit is the tightest quota/period of the process's cgroup and every
// ancestor up to the top of the cgroup2 mount: a parent limited while the
// leaf says "max" limits the process; a tighter grandparent beats a looser
// parent; a leaf tighter than its parent wins; and nothing above the mount
// point (outside the hierarchy) is read.
// White-box: a fake tree under cgroup_test_root, read by cgroup_cpu_limit().
#include "cgroup_fake.h"

#define TOP "sys/fs/cgroup"
#define A   TOP "/a"
#define B   A "/b"
#define C   B "/c"

int main(void)
{
    fcg_init();
    fcg_v2_setup("/a/b/c");
    fcg_mkdir(C);
    /* Not a cgroup: the directory holding the mount point.  Never read. */
    fcg_v2_limit("sys/fs", 10000, 100000);
    /* The mount's top (the hierarchy's root cgroup) has no cpu.max. */

    /* leaf unlimited, parent limited: the parent's limit */
    fcg_v2_limit(C, -1, 100000);
    fcg_v2_limit(B, 200000, 100000);
    fcg_v2_limit(A, -1, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 2.0, "leaf max, parent 2 CPUs");

    /* a grandparent tighter than the parent */
    fcg_v2_limit(A, 150000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 1.5, "parent 2 CPUs, grandparent 1.5");

    /* the grandparent looser again, different periods */
    fcg_v2_limit(A, 1200000, 200000);   /* 6 CPUs */
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 2.0, "parent 2 CPUs, grandparent 6");

    /* the leaf tighter than its parent: the leaf's */
    fcg_v2_limit(C, 70000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0.7, "leaf 0.7, parent 2, grandparent 6");

    /* the parent looser than the leaf, the grandparent unlimited */
    fcg_v2_limit(A, -1, 100000);
    fcg_v2_limit(B, 400000, 100000);
    fcg_v2_limit(C, 300000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 3.0, "leaf 3, parent 4");

    /* the hierarchy's root cgroup, the mount's top, is a level too (a real
     * root has no cpu.max, but a namespaced mount's top is a real cgroup) */
    fcg_v2_limit(TOP, 250000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 2.5, "top of the mount 2.5, leaf 3");

    /* only the mount top limited: still found from three levels down */
    fcg_v2_limit(C, -1, 100000);
    fcg_v2_limit(B, -1, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 2.5, "only the top of the mount");

    /* nothing limited in the hierarchy: no limit (sys/fs/cpu.max ignored) */
    fcg_v2_limit(TOP, -1, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "a cpu.max above the mount point is not a cgroup's");
    return 0;
}
