// The runtime's threads for goroutines (Ms) carry the program's name, as a
// Go program's threads do, whichever thread started them: an M that
// sysmon starts (here, to run the goroutines queued behind one blocked in
// a system call) is not named after sysmon.  Only the runtime's own helper
// threads have names of their own (gort-sysmon, gort-symbolizer).
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#include <dirent.h>

static gort_waitgroup wg;
static _Atomic int spin_stop;

static void blocker(void *arg)
{
    (void)arg;
    gort_syscall_enter();
    usleep(100 * 1000);   /* sysmon retakes the P and starts an M for the rest */
    gort_syscall_exit();
    gort_wg_done(&wg);
}

static void spinner(void *arg)
{
    (void)arg;
    while (!atomic_load(&spin_stop))
        gort_yield();
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    char self[32] = "";
    CHECK(read_file_into("/proc/self/comm", self, sizeof self) > 0);
    self[strcspn(self, "\n")] = 0;
    gort_wg_add(&wg, 4);
    go(blocker, NULL);
    go(blocker, NULL);
    go(spinner, NULL);
    go(spinner, NULL);
    gort_sleep(MS(50));
    int ms = 0, helpers = 0;
    DIR *d = opendir("/proc/self/task");
    CHECK(d != NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[300], name[32] = "";
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        if (read_file_into(path, name, sizeof name) <= 0) continue;
        name[strcspn(name, "\n")] = 0;
        if (strcmp(name, "gort-sysmon") == 0 || strcmp(name, "gort-symbolizer") == 0) {
            helpers++;
            continue;
        }
        CHECK_MSG(strcmp(name, self) == 0, "thread %s is named \"%s\", not the program's \"%s\"", e->d_name, name,
                  self);
        ms++;
    }
    closedir(d);
    CHECK_MSG(helpers <= 2, "%d threads with a helper's name", helpers);
    CHECK_MSG(ms >= 3, "only %d threads with the program's name while two goroutines block and two spin", ms);
    atomic_store(&spin_stop, 1);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
