// sysmon tells a thread that computes from one that sleeps in system calls
// partly by its voluntary context switches, which it reads from
// /proc/self/task/TID/status (voluntary_ctxt_switches).  What it reads is
// the thread's own count: the count getrusage(RUSAGE_THREAD) gives
// (ru_nvcsw) before the read is no greater, the count it gives after is no
// smaller, and five sleeps of the thread in between (each one a voluntary
// switch) raise it by five at least.  The CPU time read with it (schedstat)
// never goes back.  White-box: sysmon.c's thread_sample_now, through its
// test interface.
#include "export_test.h"

#include <sys/resource.h>

static int64_t nvcsw_now(void)
{
    struct rusage ru;
    CHECK_EQ_INT(getrusage(RUSAGE_THREAD, &ru), 0);
    return (int64_t)ru.ru_nvcsw;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int tid = (int)gettid_();
    int64_t before = nvcsw_now();
    int64_t cpu1 = -1, vol1 = -1, cpu2 = -1, vol2 = -1;
    CHECK_MSG(xt_thread_sample(tid, &cpu1, &vol1), "sysmon could not read thread %d in /proc", tid);
    for (int i = 0; i < 5; i++) {
        struct timespec ts = { 0, 2 * 1000 * 1000 };
        while (nanosleep(&ts, &ts) != 0) {
        }
    }
    CHECK_MSG(xt_thread_sample(tid, &cpu2, &vol2), "sysmon could not read thread %d in /proc", tid);
    int64_t after = nvcsw_now();
    NOTE("voluntary switches: getrusage %lld, sysmon %lld, (5 sleeps), sysmon %lld, getrusage %lld\n",
         (long long)before, (long long)vol1, (long long)vol2, (long long)after);
    CHECK_MSG(before <= vol1 && vol1 <= vol2 && vol2 <= after,
              "sysmon's reads of the thread's voluntary switches (%lld, %lld) are not between "
              "getrusage's counts before and after (%lld, %lld)",
              (long long)vol1, (long long)vol2, (long long)before, (long long)after);
    CHECK_MSG(vol2 - vol1 >= 5, "5 sleeps raised the voluntary switches sysmon reads by %lld",
              (long long)(vol2 - vol1));
    CHECK_MSG(cpu1 >= 0 && cpu2 >= cpu1, "the thread's CPU time read as %lld ns, then %lld ns",
              (long long)cpu1, (long long)cpu2);
    return 0;
}

GORT_MAIN(main_fn)
