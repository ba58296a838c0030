// Unless the program chose GOMAXPROCS, sysmon re-reads the CPU limit about
// once a second and GOMAXPROCS follows it, up and down, while goroutines
// run: 8 CPUs (stand-in), cpu.max 3 CPUs -> GOMAXPROCS 3 at start;
// cpu.max rewritten to 5 CPUs -> 5 within 5 s; back down to 2 CPUs -> 2
// within 5 s, and it stays 2 while the limit stays; no limit -> 8; the Ps
// that may run (sched.gomaxprocs) follow too; and worker goroutines keep
// making progress in every phase.
// White-box: a fake tree under cgroup_test_root and cgroup_test_cpus = 8,
// set before the runtime starts.
// gort-test: timeout=60
#include "cgroup_fake.h"

#define LEAF "sys/fs/cgroup/app"
#define WORKERS 6

static _Atomic int64_t progress[WORKERS];
static _Atomic int stop;

static void worker(void *arg)
{
    int i = (int)(intptr_t)arg;
    while (!atomic_load(&stop)) {
        spin_ns(US(200));                       /* some CPU work */
        atomic_fetch_add(&progress[i], 1);
        if (atomic_load(&progress[i]) % 8 == 0)
            gort_sleep(US(500));                /* and some parking */
        else
            gort_yield();
    }
}

/* Every worker has moved on since *seen (then records the new counts). */
static void check_progress(int64_t *seen, const char *phase)
{
    int64_t end = now_ns() + MS(10000);
    for (int i = 0; i < WORKERS; i++) {
        while (atomic_load(&progress[i]) <= seen[i]) {
            CHECK_MSG(now_ns() < end, "%s: worker %d made no progress for 10 s", phase, i);
            gort_sleep(MS(1));
        }
        seen[i] = atomic_load(&progress[i]);
    }
}

/* GOMAXPROCS becomes want within 5 s and the Ps that may run follow. */
static void wait_procs(int want, const char *phase)
{
    int64_t t0 = now_ns();
    CHECK_MSG(fcg_wait_gomaxprocs(want, MS(5000)), "%s: GOMAXPROCS still %d after 5 s, want %d",
              phase, gort_gomaxprocs(0), want);
    /* sched.gomaxprocs adds Ps sysmon lends to threads blocked in the
     * kernel unannounced (none here, but allow them) */
    int64_t end = now_ns() + MS(2000);
    while (ld_acq(&sched.gomaxprocs) - ld_acq(&sched.lent) != want) {
        CHECK_MSG(now_ns() < end, "%s: sched.gomaxprocs %d (lent %d), want %d", phase,
                  ld_acq(&sched.gomaxprocs), ld_acq(&sched.lent), want);
        gort_sleep(MS(1));
    }
    NOTE("%s: GOMAXPROCS %d after %lld ms\n", phase, want, (long long)((now_ns() - t0) / 1000000));
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 3);
    for (int i = 0; i < WORKERS; i++)
        go(worker, (void *)(intptr_t)i);
    int64_t seen[WORKERS] = { 0 };
    check_progress(seen, "start (3 CPUs)");

    fcg_v2_limit(LEAF, 500000, 100000);
    wait_procs(5, "limit 5 CPUs");
    check_progress(seen, "limit 5 CPUs");

    fcg_v2_limit(LEAF, 200000, 100000);
    wait_procs(2, "limit 2 CPUs");
    check_progress(seen, "limit 2 CPUs");

    /* and it stays there: 1.5 s of a steady limit changes nothing */
    int64_t end = now_ns() + MS(1500);
    while (now_ns() < end) {
        CHECK_EQ_INT(gort_gomaxprocs(0), 2);
        gort_sleep(MS(50));
    }
    check_progress(seen, "steady at 2 CPUs");

    /* up again, to no limit at all: the CPU count */
    fcg_v2_limit(LEAF, -1, 100000);
    wait_procs(8, "no limit");
    check_progress(seen, "no limit");

    atomic_store(&stop, 1);
    CHECK(wait_num_goroutine_at_most(1, MS(10000)) <= 1);
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
