// At start-up, with no GOMAXPROCS in the environment, GOMAXPROCS is the CPU
// count lowered to the cgroup CPU limit, rounded up: 8 CPUs (stand-in)
// and cpu.max "350000 100000" (3.5 CPUs) start the runtime with
// GOMAXPROCS 4 and 4 Ps, not 8.
// White-box: a fake tree under cgroup_test_root and cgroup_test_cpus = 8,
// both set before the runtime starts (before any gort call).
#include "cgroup_fake.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 4);
    CHECK_EQ_INT(ld_acq(&sched.gomaxprocs), 4);
    CHECK_EQ_INT(ld_acq(&sched.nallp), 4);
    CHECK_EQ_INT(ld_acq(&sched.gomaxprocs_explicit), 0);
    return 0;
}

int main(int argc, char **argv)
{
    unsetenv("GOMAXPROCS");
    fcg_init();
    fcg_v2_setup("/app");
    fcg_v2_limit("sys/fs/cgroup/app", 350000, 100000);
    cgroup_test_cpus = 8;
    return gort_main(main_fn, argc, argv);
}
