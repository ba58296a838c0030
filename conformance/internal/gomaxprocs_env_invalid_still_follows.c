// A GOMAXPROCS environment value that is not a positive integer is ignored,
// as in Go: GOMAXPROCS=abc starts the runtime at the default from the CPU
// limit (8 CPUs stand-in, cpu.max 3 CPUs -> 3) and the limit is still
// followed (cpu.max 5 CPUs -> 5 within 5 s).
// White-box: a fake tree under cgroup_test_root and cgroup_test_cpus = 8,
// set before the runtime starts.
// gort-test: env=GOMAXPROCS=abc
// gort-test: timeout=60
#include "cgroup_fake.h"

#define LEAF "sys/fs/cgroup/app"

static _Atomic int stop;

static void worker(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {     /* keeps a P busy: sysmon stays awake */
        spin_ns(US(200));
        gort_sleep(US(300));
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    const char *env = getenv("GOMAXPROCS");
    CHECK_MSG(env && strcmp(env, "abc") == 0, "run with GOMAXPROCS=abc (got %s)", env ? env : "(unset)");
    go(worker, NULL);
    CHECK_EQ_INT(gort_gomaxprocs(0), 3);
    fcg_v2_limit(LEAF, 500000, 100000);
    CHECK_MSG(fcg_wait_gomaxprocs(5, MS(5000)), "GOMAXPROCS %d after 5 s, want 5", gort_gomaxprocs(0));
    atomic_store(&stop, 1);
    return 0;
}

int main(int argc, char **argv)
{
    fcg_init();
    fcg_v2_setup("/app");
    fcg_v2_limit(LEAF, 300000, 100000);
    cgroup_test_cpus = 8;
    return gort_main(main_fn, argc, argv);
}
