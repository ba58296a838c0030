// After gort_gomaxprocs(n) with n >= 1 the program has chosen GOMAXPROCS:
// sysmon no longer follows the CPU limit.  8 CPUs (stand-in), cpu.max 3
// CPUs -> 3 at start; the limit raised to 5 CPUs is followed (so sysmon is
// following); then gort_gomaxprocs(4) (returns 5), and limits of 7 and
// then 2 CPUs leave GOMAXPROCS at 4 for 3 s each, though
// default_gomaxprocs() sees them.  A query, gort_gomaxprocs(0), before
// that did not stop the following.
// White-box: a fake tree under cgroup_test_root and cgroup_test_cpus = 8,
// set before the runtime starts.
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
    go(worker, NULL);
    go(worker, NULL);
    CHECK_EQ_INT(gort_gomaxprocs(0), 3);

    /* following works (and queries do not stop it) */
    fcg_v2_limit(LEAF, 500000, 100000);
    CHECK_MSG(fcg_wait_gomaxprocs(5, MS(5000)), "the limit was not followed before the explicit call: "
              "GOMAXPROCS %d, want 5", gort_gomaxprocs(0));

    CHECK_EQ_INT(gort_gomaxprocs(4), 5);
    CHECK_EQ_INT(gort_gomaxprocs(0), 4);

    fcg_v2_limit(LEAF, 700000, 100000);
    CHECK_EQ_INT(default_gomaxprocs(), 7);         /* the change is visible */
    hold_for(4, MS(3000), "limit 7 CPUs after gort_gomaxprocs(4)");

    fcg_v2_limit(LEAF, 200000, 100000);
    CHECK_EQ_INT(default_gomaxprocs(), 2);
    hold_for(4, MS(3000), "limit 2 CPUs after gort_gomaxprocs(4)");

    CHECK_MSG(atomic_load(&spins) > 0, "the workers never ran");
    atomic_store(&stop, 1);
    return 0;
}

int main(int argc, char **argv)
{
    unsetenv("GOMAXPROCS");
    fcg_init();
    fcg_v2_setup("/app");
    fcg_v2_limit(LEAF, 300000, 100000);
    cgroup_test_cpus = 8;
    return gort_main(main_fn, argc, argv);
}
