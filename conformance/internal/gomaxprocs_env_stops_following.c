// GOMAXPROCS=3 in the environment sets GOMAXPROCS and the CPU limit is then
// neither used at start-up nor followed: 8 CPUs (stand-in) and cpu.max 6
// CPUs start the runtime with GOMAXPROCS 3, and limits of 5 and then 2
// CPUs (which default_gomaxprocs() sees) leave it at 3 for 3 s each while
// goroutines run.
// White-box: a fake tree under cgroup_test_root and cgroup_test_cpus = 8,
// set before the runtime starts.
// gort-test: env=GOMAXPROCS=3
// gort-test: timeout=60
#include "cgroup_fake.h"

#define LEAF "sys/fs/cgroup/app"

static _Atomic int stop;
static _Atomic int64_t spins;

static void worker(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {     /* keeps a P busy: sysmon stays awake */
        spin_ns(US(200));
        atomic_fetch_add(&spins, 1);
        gort_sleep(US(300));
    }
}

static void hold_for(int want, int64_t ns, const char *phase)
{
    int64_t end = now_ns() + ns;
    while (now_ns() < end) {
        int got = gort_gomaxprocs(0);
        CHECK_MSG(got == want, "%s: GOMAXPROCS became %d, want it to stay %d", phase, got, want);
        gort_sleep(MS(20));
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    const char *env = getenv("GOMAXPROCS");
    CHECK_MSG(env && strcmp(env, "3") == 0, "run with GOMAXPROCS=3 (got %s)", env ? env : "(unset)");
    go(worker, NULL);
    go(worker, NULL);
    CHECK_EQ_INT(default_gomaxprocs(), 6);
    CHECK_EQ_INT(gort_gomaxprocs(0), 3);

    fcg_v2_limit(LEAF, 500000, 100000);
    CHECK_EQ_INT(default_gomaxprocs(), 5);
    hold_for(3, MS(3000), "limit 5 CPUs with GOMAXPROCS=3");

    fcg_v2_limit(LEAF, 200000, 100000);
    CHECK_EQ_INT(default_gomaxprocs(), 2);
    hold_for(3, MS(3000), "limit 2 CPUs with GOMAXPROCS=3");

    CHECK_MSG(atomic_load(&spins) > 0, "the workers never ran");
    atomic_store(&stop, 1);
    return 0;
}

int main(int argc, char **argv)
{
    fcg_init();
    fcg_v2_setup("/app");
    fcg_v2_limit(LEAF, 600000, 100000);
    cgroup_test_cpus = 8;
    return gort_main(main_fn, argc, argv);
}
