// Against the kernel's real cgroup v1 cpu controller: a process in a cgroup
// whose own quota is -1 (unlimited) under a parent cgroup with quota
// 50000/100000 reads a CPU limit of 0.5, the ancestor's (Go 1.25 reads
// only the process's own cgroup and would see no limit); when the parent's
// quota becomes 150000 while the process runs, the next read gives 1.5.
// The parent process makes the cgroups (unique name), moves a forked child
// into the leaf, changes the quota when the child asks, checks the child's
// exit status and removes the cgroups, on failure too (cgroup_real.h).
// Skips (77) unless root with a writable v1 cpu controller.
// gort-test: timeout=60
#include "cgroup_real.h"

static int child(void)
{
    double l = cgroup_cpu_limit();
    CHECK_MSG(fabs(l - 0.5) < 1e-9, "child: limit %.6f under a parent of 50000/100000, want 0.500000", l);
    cgroup_test_cpus = 8;
    CHECK_EQ_INT(default_gomaxprocs(), 2);          /* ceil(0.5) = 1, raised to 2 */
    rcg_child_send('r');
    CHECK(rcg_child_recv() == 'c');                 /* the parent's quota is now 150000 */
    int64_t end = now_ns() + MS(5000);
    while (fabs((l = cgroup_cpu_limit()) - 1.5) >= 1e-9) {
        CHECK_MSG(now_ns() < end, "child: limit %.6f 5 s after the parent's quota became 150000, "
                  "want 1.500000", l);
        usleep(10000);
    }
    return 0;
}

int main(void)
{
    rcg_setup(50000, 100000);
    rcg_fork(child);
    RCG_CHECK(rcg_parent_recv(20000, "the first read") == 'r', "unexpected message from the child");
    rcg_set_quota(150000);
    rcg_parent_send('c');
    rcg_finish(20000);
    return 0;
}
