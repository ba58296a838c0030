// End to end against the kernel's real cgroup v1 cpu controller: a process
// whose parent cgroup has quota 350000/100000 (3.5 CPUs; 8 CPUs stand-in
// through cgroup_test_cpus, as this machine may have fewer) starts its
// runtime with GOMAXPROCS 4, and when that quota becomes 550000 while its
// goroutines run, sysmon follows: GOMAXPROCS 6 within 5 s.
// The parent process makes the cgroups (unique name), moves a forked child
// into the unlimited leaf below them, changes the quota when the child
// asks, checks the child's exit status and removes the cgroups, on failure
// too (cgroup_real.h).  Skips (77) unless root with a writable v1 cpu
// controller.
// gort-test: timeout=60
#include "cgroup_real.h"

static _Atomic int stop;

static void worker(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {     /* keeps a P busy: sysmon stays awake */
        spin_ns(US(100));
        gort_sleep(US(500));
    }
}

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 4);
    go(worker, NULL);
    rcg_child_send('r');
    CHECK(rcg_child_recv() == 'c');                 /* the quota is now 550000 */
    int64_t end = now_ns() + MS(5000);
    while (gort_gomaxprocs(0) != 6) {
        CHECK_MSG(now_ns() < end, "child: GOMAXPROCS %d 5 s after the quota became 5.5 CPUs, want 6",
                  gort_gomaxprocs(0));
        gort_sleep(MS(10));
    }
    atomic_store(&stop, 1);
    return 0;
}

static int child(void)
{
    unsetenv("GOMAXPROCS");
    cgroup_test_cpus = 8;
    char *argv[] = { "child", NULL };
    return gort_main(child_main, 1, argv);
}

int main(void)
{
    rcg_setup(350000, 100000);
    rcg_fork(child);
    RCG_CHECK(rcg_parent_recv(20000, "the runtime's start") == 'r', "unexpected message from the child");
    rcg_set_quota(550000);
    rcg_parent_send('c');
    rcg_finish(20000);
    return 0;
}
