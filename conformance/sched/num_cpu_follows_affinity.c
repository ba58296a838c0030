// gort_num_cpu counts the CPUs in the process's affinity mask, and without
// GOMAXPROCS in the environment it is the initial GOMAXPROCS.  The test runs
// itself under a one-CPU mask (sched_setaffinity, then exec).
#include "check.h"
#include <sched.h>
#include <sys/wait.h>

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    cpu_set_t set;
    CHECK_EQ_INT(sched_getaffinity(0, sizeof set, &set), 0);
    CHECK_EQ_INT(gort_num_cpu(), CPU_COUNT(&set));
    if (argc > 1 && strcmp(argv[1], "one-cpu") == 0) {
        CHECK_EQ_INT(gort_num_cpu(), 1);
        CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1) return gort_main(child_main, argc, argv);
    SKIP_UNDER_VALGRIND("re-executes itself through /proc/self/exe, which under Valgrind is Valgrind's own tool");
    unsetenv("GOMAXPROCS");
    cpu_set_t set;
    CHECK_EQ_INT(sched_getaffinity(0, sizeof set, &set), 0);
    int first = -1;
    for (int c = 0; c < CPU_SETSIZE; c++) if (CPU_ISSET(c, &set)) { first = c; break; }
    CHECK(first >= 0);
    if (CPU_COUNT(&set) > 1) {
        /* first the full mask */
        char *args_full[] = { argv[0], (char *)"full", NULL };
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0) { execv("/proc/self/exe", args_full); _exit(127); }
        int st = 0;
        CHECK_EQ_INT(waitpid(pid, &st, 0), pid);
        CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "full-mask child failed (status 0x%x)", st);
    }
    CPU_ZERO(&set);
    CPU_SET(first, &set);
    CHECK_EQ_INT(sched_setaffinity(0, sizeof set, &set), 0);
    char *args[] = { argv[0], (char *)"one-cpu", NULL };
    execv("/proc/self/exe", args);
    FAIL("execv: %s", strerror(errno));
}
