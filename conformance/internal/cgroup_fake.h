/*
 * cgroup_fake.h — a fake /proc/self/{cgroup,mountinfo} and cgroup hierarchy
 * for the cgroup_* and gomaxprocs_* white-box tests (runtime/src/cgroup.c
 * reads every path under cgroup_test_root when that is set).
 *
 * fcg_init makes a fresh directory under /tmp/gort-cgtest-XXXXXX and points
 * cgroup_test_root at it; the whole /tmp/gort-cgtest-XXXXXX goes at exit,
 * and when the test ends otherwise (a failing CHECK's _exit, a crash) a
 * watcher process forked by the first fcg_init removes it.
 * Paths given to the helpers are relative to that directory: "proc/self/
 * cgroup", "sys/fs/cgroup/app/cpu.max".  fcg_write replaces a file
 * atomically (write a temporary file, rename it over), so sysmon, which
 * re-reads the limit about once a second, never sees a half-written file.
 *
 * Include check.h and export_test.h first (export_test.h does both).
 */
#ifndef GORT_CGROUP_FAKE_H
#define GORT_CGROUP_FAKE_H

#include "export_test.h"

#include <ftw.h>
#include <math.h>
#include <sys/stat.h>

static char fcg_root_[256];

static CHECK_UNUSED void fcg_path_(char *out, size_t n, const char *rel)
{
    int w = snprintf(out, n, "%s/%s", fcg_root_, rel);
    CHECK_MSG(w > 0 && (size_t)w < n, "path too long: %s/%s", fcg_root_, rel);
}

/* mkdir -p of the directory part of rel (and rel itself when dir_too). */
static CHECK_UNUSED void fcg_mkdirs_(const char *rel, bool dir_too)
{
    char path[8192];
    fcg_path_(path, sizeof path, rel);
    size_t start = strlen(fcg_root_) + 1;
    for (size_t i = start; path[i]; i++) {
        if (path[i] != '/')
            continue;
        path[i] = 0;
        CHECK_MSG(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", path, strerror(errno));
        path[i] = '/';
    }
    if (dir_too)
        CHECK_MSG(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", path, strerror(errno));
}

static CHECK_UNUSED int fcg_rm_one_(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static char fcg_base_[64];

static CHECK_UNUSED void fcg_rm_tree_(const char *dir)
{
    if (dir[0])
        nftw(dir, fcg_rm_one_, 16, FTW_DEPTH | FTW_PHYS);
}

/* Removes the current fake tree (to start afresh with fcg_init). */
static CHECK_UNUSED void fcg_cleanup(void)
{
    fcg_rm_tree_(fcg_root_);
}

static CHECK_UNUSED void fcg_remove_base_(void)
{
    fcg_rm_tree_(fcg_base_);
}

/* The directory of this process's trees, and a watcher process that
 * removes it when this process ends however it ends: a failing CHECK's
 * _exit, a crash or a kill skip atexit.  The watcher waits for the end of
 * a pipe only this process holds open, its stdio on /dev/null (ctest must
 * not wait for it). */
static CHECK_UNUSED void fcg_base_init_(void)
{
    snprintf(fcg_base_, sizeof fcg_base_, "/tmp/gort-cgtest-XXXXXX");
    CHECK_MSG(mkdtemp(fcg_base_) != NULL, "mkdtemp: %s", strerror(errno));
    atexit(fcg_remove_base_);
    int p[2];
    CHECK_MSG(pipe2(p, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
    pid_t pid = fork();
    CHECK_MSG(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        close(p[1]);
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        char c;
        while (read(p[0], &c, 1) != 0 && errno == EINTR) {}
        fcg_remove_base_();
        _exit(0);
    }
    close(p[0]);       /* p[1] stays open until this process ends */
}

/* Creates a fresh fake root and points the runtime at it (again after
 * fcg_cleanup for a test that needs several trees).  Call before the
 * runtime starts (the first call forks the watcher). */
static CHECK_UNUSED void fcg_init(void)
{
    static int n;
    if (!fcg_base_[0])
        fcg_base_init_();
    snprintf(fcg_root_, sizeof fcg_root_, "%s/t%d", fcg_base_, n++);
    CHECK_MSG(mkdir(fcg_root_, 0755) == 0, "mkdir %s: %s", fcg_root_, strerror(errno));
    cgroup_test_root = fcg_root_;
}

/* Writes rel (creating its directories), replacing it atomically. */
static CHECK_UNUSED void fcg_write(const char *rel, const char *content)
{
    char path[8192], tmp[8300];
    fcg_mkdirs_(rel, false);
    fcg_path_(path, sizeof path, rel);
    snprintf(tmp, sizeof tmp, "%s.tmp-write", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    CHECK_MSG(fd >= 0, "open %s: %s", tmp, strerror(errno));
    size_t len = strlen(content);
    CHECK_MSG(write(fd, content, len) == (ssize_t)len, "write %s: %s", tmp, strerror(errno));
    CHECK(close(fd) == 0);
    CHECK_MSG(rename(tmp, path) == 0, "rename %s: %s", path, strerror(errno));
}

/* Creates the directory rel (and its parents). */
static CHECK_UNUSED void fcg_mkdir(const char *rel)
{
    fcg_mkdirs_(rel, true);
}

/* Removes the file rel if it is there. */
static CHECK_UNUSED void fcg_unlink(const char *rel)
{
    char path[8192];
    fcg_path_(path, sizeof path, rel);
    CHECK_MSG(unlink(path) == 0 || errno == ENOENT, "unlink %s: %s", path, strerror(errno));
}

/* Some mounts that are not cgroups, as a real mountinfo starts. */
#define FCG_MOUNTS_OTHER \
    "21 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n" \
    "22 21 0:20 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n" \
    "23 21 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw\n"

/* The unified (v2) hierarchy mounted at /sys/fs/cgroup, its whole tree. */
#define FCG_MOUNT_V2 \
    "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 " \
    "rw,nsdelegate,memory_recursiveprot\n"

/* A pure v2 process in cgroup `path` (absolute, as /proc/self/cgroup says),
 * the hierarchy mounted whole at /sys/fs/cgroup. */
static CHECK_UNUSED void fcg_v2_setup(const char *path)
{
    char line[8192];
    snprintf(line, sizeof line, "0::%s\n", path);
    fcg_write("proc/self/cgroup", line);
    fcg_write("proc/self/mountinfo", FCG_MOUNTS_OTHER FCG_MOUNT_V2);
}

/* Writes the v2 limit file of the cgroup at rel (relative to the fake root,
 * e.g. "sys/fs/cgroup/app"): cpu.max = "quota period\n", quota < 0: "max". */
static CHECK_UNUSED void fcg_v2_limit(const char *dir, long long quota, long long period)
{
    char rel[4096], val[64];
    snprintf(rel, sizeof rel, "%s/cpu.max", dir);
    if (quota < 0)
        snprintf(val, sizeof val, "max %lld\n", period);
    else
        snprintf(val, sizeof val, "%lld %lld\n", quota, period);
    fcg_write(rel, val);
}

/* Doubles compared to a billionth: quota/period of small integers. */
#define CHECK_LIMIT(got, want) \
    do { \
        double check_g_ = (got), check_w_ = (want); \
        if (!(fabs(check_g_ - check_w_) < 1e-9)) \
            check_fail_(__FILE__, __LINE__, #got " == " #want, "%.6f vs %.6f", check_g_, check_w_); \
    } while (0)

#define CHECK_LIMIT_MSG(got, want, ...) \
    do { \
        double check_g_ = (got), check_w_ = (want); \
        if (!(fabs(check_g_ - check_w_) < 1e-9)) { \
            char check_m_[512]; \
            snprintf(check_m_, sizeof check_m_, __VA_ARGS__); \
            check_fail_(__FILE__, __LINE__, #got " == " #want, "%.6f vs %.6f: %s", check_g_, \
                        check_w_, check_m_); \
        } \
    } while (0)

/* From a goroutine: waits, polling every 10 ms, until gort_gomaxprocs(0)
 * == want; false after timeout_ns. */
static CHECK_UNUSED bool fcg_wait_gomaxprocs(int want, int64_t timeout_ns)
{
    int64_t end = now_ns() + timeout_ns;
    while (gort_gomaxprocs(0) != want) {
        if (now_ns() > end)
            return false;
        gort_sleep(MS(10));
    }
    return true;
}

#endif
