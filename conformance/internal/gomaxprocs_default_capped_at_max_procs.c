// With more CPUs than MAX_PROCS (1024) and no CPU limit, GOMAXPROCS's
// default is MAX_PROCS, as an environment value above it is clamped: the
// runtime starts with at most MAX_PROCS Ps (sched.allp has MAX_PROCS
// slots).  cgroup_test_cpus = 2000 stands in for such a machine (for real:
// more than 1024 CPUs, where sched_getaffinity with a 1024-bit cpu_set_t
// fails and cpu_count falls back to sysconf).
// White-box: a fake tree with no limit under cgroup_test_root.
#include "cgroup_fake.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), MAX_PROCS);
    CHECK_LE_INT(ld_acq(&sched.nallp), MAX_PROCS);
    return 0;
}

int main(int argc, char **argv)
{
    CHECK_EQ_INT(gomaxprocs_for_limit(2000, 0), MAX_PROCS);
    CHECK_EQ_INT(gomaxprocs_for_limit(2000, 1500.0), MAX_PROCS);
    unsetenv("GOMAXPROCS");
    fcg_init();
    fcg_v2_setup("/app");
    cgroup_test_cpus = 2000;
    CHECK_EQ_INT(default_gomaxprocs(), MAX_PROCS);
    return gort_main(main_fn, argc, argv);
}
