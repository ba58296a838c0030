/*
 * cgroup_real.h — a real cgroup v1 `cpu` hierarchy for the tests that check
 * the runtime against the kernel's own files (cgroup_v1_real_*, and
 * gomaxprocs_follows_real_cgroup_v1_quota).
 *
 * The test's first process (the parent, which never starts the runtime)
 * makes <cpu mount>/gort-cgtest-<pid>-<n> with a quota and an unlimited child
 * cgroup "leaf" below it, forks a child, moves the child into leaf (its pid
 * written to leaf/cgroup.procs), and talks to it over two pipes: the child
 * runs the checks, the parent changes the quota when asked, then waits for
 * the child's exit status and removes both cgroups, on failure too
 * (rcg_fail; the child dies with the parent through PR_SET_PDEATHSIG).  A
 * parent killed outright (a ctest timeout) leaves its cgroups behind; a
 * later run removes any such cgroup whose process is gone (rcg_sweep_stale_).
 *
 * Skips (exit 77, reason on stderr) unless run as root with a writable v1
 * cpu controller that has CFS bandwidth control (cpu.cfs_quota_us).
 */
#ifndef GORT_CGROUP_REAL_H
#define GORT_CGROUP_REAL_H

#include "export_test.h"

#include <dirent.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>

typedef struct rcg {
    char mnt[1024];       /* the v1 cpu controller's mount point */
    char mroot[1024];     /* that mount's root in the hierarchy ("/" normally) */
    char parent[2048];    /* <mnt>/gort-cgtest-<pid>-<n> */
    char leaf[2100];      /* <parent>/leaf */
    char rel_leaf[2200];  /* leaf as the child's /proc/self/cgroup will name it */
    pid_t child;
    int to_child, from_child;
} rcg;

static rcg rcg_;

static CHECK_UNUSED bool rcg_write_file_(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = write(fd, s, strlen(s));
    int e = errno;
    close(fd);
    errno = e;
    return n == (ssize_t)strlen(s);
}

static CHECK_UNUSED void rcg_rmdir_retry_(const char *dir)
{
    for (int i = 0; i < 100; i++) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return;
        usleep(20000);   /* EBUSY: a task just reaped may linger a moment */
    }
    check_fdprintf(2, "cgroup_real: could not remove %s: %s\n", dir, strerror(errno));
}

/* Kills the child if it still lives, and removes the cgroups. */
static CHECK_UNUSED void rcg_cleanup(void)
{
    if (rcg_.child > 0) {
        kill(rcg_.child, SIGKILL);
        waitpid(rcg_.child, NULL, 0);
        rcg_.child = 0;
    }
    if (rcg_.leaf[0])
        rcg_rmdir_retry_(rcg_.leaf);
    if (rcg_.parent[0])
        rcg_rmdir_retry_(rcg_.parent);
    rcg_.leaf[0] = rcg_.parent[0] = 0;
}

/* The parent's CHECK: cleans up, then fails the test. */
#define RCG_CHECK(cond, ...) \
    do { \
        if (!(cond)) { \
            rcg_cleanup(); \
            check_fail_(__FILE__, __LINE__, #cond, __VA_ARGS__); \
        } \
    } while (0)

/* Finds the v1 cpu controller's mount from /proc/self/mountinfo. */
static CHECK_UNUSED bool rcg_find_mount_(void)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f)
        return false;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        char root[1024], mnt[1024];
        if (sscanf(line, "%*s %*s %*s %1023s %1023s", root, mnt) != 2)
            continue;
        char *sep = strstr(line, " - ");
        char fstype[64], src[256], super[1024];
        if (!sep || sscanf(sep + 3, "%63s %255s %1023s", fstype, src, super) != 3)
            continue;
        if (strcmp(fstype, "cgroup") != 0 || strchr(mnt, '\\') || strchr(root, '\\'))
            continue;
        /* "cpu" among the comma-separated super options */
        for (char *save = NULL, *opt = strtok_r(super, ",", &save); opt; opt = strtok_r(NULL, ",", &save))
            if (strcmp(opt, "cpu") == 0)
                found = true;
        if (found) {
            snprintf(rcg_.mnt, sizeof rcg_.mnt, "%s", mnt);
            snprintf(rcg_.mroot, sizeof rcg_.mroot, "%s", root);
        }
    }
    fclose(f);
    return found;
}

/* Removes gort-cgtest-<pid>-<n> cgroups whose test process is gone and
 * that are over ten minutes old (so never one another test is still
 * setting up, even one in another pid namespace). */
static CHECK_UNUSED void rcg_sweep_stale_(void)
{
    DIR *d = opendir(rcg_.mnt);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        int pid;
        unsigned long long nonce;
        char tail;
        if (sscanf(e->d_name, "gort-cgtest-%d-%llu%c", &pid, &nonce, &tail) != 2 || pid <= 0)
            continue;
        if (kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", rcg_.mnt, e->d_name);
        if (stat(path, &st) != 0 || time(NULL) - st.st_mtime < 600)
            continue;
        snprintf(path, sizeof path, "%s/%s/leaf", rcg_.mnt, e->d_name);
        rmdir(path);
        snprintf(path, sizeof path, "%s/%s", rcg_.mnt, e->d_name);
        rmdir(path);
    }
    closedir(d);
}

/* Makes the cgroups (parent quota/period as given, leaf unlimited), or
 * skips the test. */
static CHECK_UNUSED void rcg_setup(long quota_us, long period_us)
{
    if (geteuid() != 0)
        SKIP("needs root to make cgroups (euid %d)", (int)geteuid());
    if (!rcg_find_mount_())
        SKIP("no cgroup v1 cpu controller mounted (cgroup v2 only, or none)");
    if (access(rcg_.mnt, W_OK) != 0)
        SKIP("cgroup v1 cpu controller at %s is not writable: %s", rcg_.mnt, strerror(errno));
    char path[4096];
    snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", rcg_.mnt);
    if (access(path, R_OK) != 0)
        SKIP("no CFS bandwidth control (%s: %s)", path, strerror(errno));
    /* The mount's top is an ancestor of the cgroups made below: the tests'
     * numbers assume it is unlimited (a host's root always is; a
     * container's own cgroup, seen as the top, may not be). */
    char top[64] = "";
    if (read_file_into(path, top, sizeof top) > 0 && atol(top) > 0)
        SKIP("the cgroup v1 cpu mount's top %s has a CPU quota of its own (%ld us)", rcg_.mnt, atol(top));
    rcg_sweep_stale_();

    char name[64];
    snprintf(name, sizeof name, "gort-cgtest-%d-%llu", (int)getpid(),
             (unsigned long long)now_ns() % 1000000000ULL);
    snprintf(rcg_.parent, sizeof rcg_.parent, "%s/%s", rcg_.mnt, name);
    if (mkdir(rcg_.parent, 0755) != 0) {
        int e = errno;
        rcg_.parent[0] = 0;
        if (e == EACCES || e == EPERM || e == EROFS)
            SKIP("cannot make a cgroup under %s: %s", rcg_.mnt, strerror(e));
        FAIL("mkdir %s/%s: %s", rcg_.mnt, name, strerror(e));
    }
    snprintf(rcg_.leaf, sizeof rcg_.leaf, "%s/leaf", rcg_.parent);
    RCG_CHECK(mkdir(rcg_.leaf, 0755) == 0, "mkdir %s: %s", rcg_.leaf, strerror(errno));
    snprintf(rcg_.rel_leaf, sizeof rcg_.rel_leaf, "%s%s%s/leaf", rcg_.mroot,
             strcmp(rcg_.mroot, "/") == 0 ? "" : "/", name);

    char val[64];
    snprintf(path, sizeof path, "%s/cpu.cfs_period_us", rcg_.parent);
    snprintf(val, sizeof val, "%ld", period_us);
    RCG_CHECK(rcg_write_file_(path, val), "write %s to %s: %s", val, path, strerror(errno));
    snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", rcg_.parent);
    snprintf(val, sizeof val, "%ld", quota_us);
    RCG_CHECK(rcg_write_file_(path, val), "write %s to %s: %s", val, path, strerror(errno));

    /* the leaf's own files say "no limit": only the ancestor limits it */
    char buf[64] = "";
    snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", rcg_.leaf);
    RCG_CHECK(read_file_into(path, buf, sizeof buf) > 0 && atol(buf) == -1,
              "%s reads \"%s\", want -1", path, buf);
}

/* Sets the parent cgroup's quota (its period unchanged). */
static CHECK_UNUSED void rcg_set_quota(long quota_us)
{
    char path[4096], val[64];
    snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", rcg_.parent);
    snprintf(val, sizeof val, "%ld", quota_us);
    RCG_CHECK(rcg_write_file_(path, val), "write %s to %s: %s", val, path, strerror(errno));
}

/* ---- the child's side ------------------------------------------------- */

static int rcg_child_in_, rcg_child_out_;

/* Waits for the parent's next message byte; returns it. */
static CHECK_UNUSED char rcg_child_recv(void)
{
    char c;
    for (;;) {
        ssize_t n = read(rcg_child_in_, &c, 1);
        if (n == 1)
            return c;
        if (n < 0 && errno == EINTR)
            continue;
        FAIL("child: the parent went away");
    }
}

static CHECK_UNUSED void rcg_child_send(char c)
{
    CHECK(write(rcg_child_out_, &c, 1) == 1);
}

/* ---- the parent's side ------------------------------------------------ */

/* Forks the child, moves it into leaf, and lets it run child_fn (which
 * returns its exit status).  The child waits until it has been moved. */
static CHECK_UNUSED void rcg_fork(int (*child_fn)(void))
{
    int down[2], up[2];
    RCG_CHECK(pipe2(down, O_CLOEXEC) == 0 && pipe2(up, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
    pid_t parent_pid = getpid();
    pid_t pid = fork();
    RCG_CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent_pid)
            _exit(3);
        close(down[1]);
        close(up[0]);
        rcg_child_in_ = down[0];
        rcg_child_out_ = up[1];
        if (rcg_child_recv() != 'm')          /* moved into leaf */
            _exit(4);
        /* /proc/self/cgroup names leaf in the cpu hierarchy */
        char buf[8192], want[2300];
        CHECK(read_file_into("/proc/self/cgroup", buf, sizeof buf) > 0);
        snprintf(want, sizeof want, "%s\n", rcg_.rel_leaf);
        CHECK_STR_CONTAINS(buf, want);
        _exit(child_fn());
    }
    rcg_.child = pid;
    close(down[0]);
    close(up[1]);
    rcg_.to_child = down[1];
    rcg_.from_child = up[0];
    char path[4096], val[32];
    snprintf(path, sizeof path, "%s/cgroup.procs", rcg_.leaf);
    snprintf(val, sizeof val, "%d", (int)pid);
    RCG_CHECK(rcg_write_file_(path, val), "write %s to %s: %s", val, path, strerror(errno));
    char c = 'm';
    RCG_CHECK(write(rcg_.to_child, &c, 1) == 1, "write to the child: %s", strerror(errno));
}

/* Reaps the child; returns its wait status (the child is gone after). */
static CHECK_UNUSED int rcg_reap(void)
{
    int st = 0;
    while (waitpid(rcg_.child, &st, 0) < 0 && errno == EINTR) {}
    rcg_.child = 0;
    return st;
}

/* Waits (up to timeout_ms) for the child's next byte.  On its exit
 * instead, or a timeout, cleans up and fails, quoting its status. */
static CHECK_UNUSED char rcg_parent_recv(int timeout_ms, const char *waiting_for)
{
    struct pollfd p = { .fd = rcg_.from_child, .events = POLLIN };
    int r;
    while ((r = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR) {}
    char c;
    if (r == 1 && read(rcg_.from_child, &c, 1) == 1)
        return c;
    if (r == 0) {
        rcg_cleanup();
        FAIL("the child sent nothing for %d ms, waiting for %s", timeout_ms, waiting_for);
    }
    int st = rcg_reap();
    rcg_cleanup();
    if (WIFEXITED(st))
        FAIL("the child exited with status %d, waiting for %s", WEXITSTATUS(st), waiting_for);
    FAIL("the child died of signal %d, waiting for %s", WIFSIGNALED(st) ? WTERMSIG(st) : -1, waiting_for);
}

static CHECK_UNUSED void rcg_parent_send(char c)
{
    RCG_CHECK(write(rcg_.to_child, &c, 1) == 1, "write to the child: %s", strerror(errno));
}

/* Waits for the child's exit (up to timeout_ms), cleans up, and fails
 * unless it exited 0. */
static CHECK_UNUSED void rcg_finish(int timeout_ms)
{
    int64_t end = now_ns() + MS(timeout_ms);
    int st = 0;
    pid_t r;
    while ((r = waitpid(rcg_.child, &st, WNOHANG)) == 0 && now_ns() < end)
        usleep(10000);
    if (r != rcg_.child) {
        rcg_cleanup();
        FAIL("the child did not exit within %d ms", timeout_ms);
    }
    rcg_.child = 0;
    rcg_cleanup();
    if (!WIFEXITED(st))
        FAIL("the child died of signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    CHECK_MSG(WEXITSTATUS(st) == 0, "the child exited with status %d", WEXITSTATUS(st));
}

#endif
