/*
 * cgroup.c — the process's CPU bandwidth limit, for GOMAXPROCS's default
 * (Go 1.25's container-aware GOMAXPROCS, reading every ancestor where Go
 * reads only the process's own cgroup).
 *
 * Where the limit lives: /proc/self/cgroup names the process's cgroup in
 * each hierarchy, and /proc/self/mountinfo says where each hierarchy is
 * mounted and which part of it (a cgroup namespace or a bind mount shows
 * only a subtree).  cgroup v1's `cpu` controller is used when the process
 * has one (limit files cpu.cfs_quota_us, -1 for none, and
 * cpu.cfs_period_us); otherwise v2's unified hierarchy (cpu.max: "max
 * PERIOD" or "QUOTA PERIOD").  A cgroup runs no faster than any of its
 * ancestors, so the limit is the tightest quota/period of the process's
 * cgroup and every ancestor up to the top of the mount.
 *
 * Anything missing, unreadable or malformed means "no limit at this
 * level": never an error, never a crash.  No lock: a reader allocates
 * nothing shared and may run on any thread (start-up, then sysmon about
 * once a second).
 *
 * cgroup_test_root (white-box tests) reads every path under a directory
 * that holds a fake proc/self/{cgroup,mountinfo} and a fake hierarchy;
 * cgroup_test_cpus stands in for the CPU count.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* NULL or "": the real files.  Set by tests before the runtime starts,
 * with cgroup_test_cpus (0: the real CPU count) where a test needs more
 * CPUs than the machine has to see the limit take effect. */
const char *cgroup_test_root;
int cgroup_test_cpus;

#define CG_PATH_MAX 4096

static const char *root_prefix(void)
{
    return cgroup_test_root ? cgroup_test_root : "";
}

/* Reads a small file (a limit file) into buf, NUL-terminated. */
static bool read_small(const char *path, char *buf, size_t n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t got = read(fd, buf, n - 1);
    close(fd);
    if (got <= 0)
        return false;
    buf[got] = 0;
    return true;
}

static FILE *open_proc(const char *name)
{
    char path[CG_PATH_MAX];
    if (snprintf(path, sizeof path, "%s/proc/self/%s", root_prefix(), name) >= (int)sizeof path)
        return NULL;
    return fopen(path, "re");
}

/* Does the comma-separated list hold `item`? */
static bool list_has(const char *list, size_t len, const char *item)
{
    size_t il = strlen(item);
    const char *end = list + len;
    while (list < end) {
        const char *comma = memchr(list, ',', (size_t)(end - list));
        size_t l = comma ? (size_t)(comma - list) : (size_t)(end - list);
        if (l == il && memcmp(list, item, il) == 0)
            return true;
        list += l + 1;
    }
    return false;
}

/* The process's cgroup path in the v1 hierarchy with the `cpu` controller
 * (*v1 true), else in the v2 hierarchy. */
static bool own_cgroup(bool *v1, char *out, size_t n)
{
    FILE *f = open_proc("cgroup");
    if (!f)
        return false;
    char *line = NULL;
    size_t cap = 0;
    bool found_v1 = false, found_v2 = false;
    char v2path[CG_PATH_MAX] = "";
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\n")] = 0;
        /* hierarchy-ID:controller-list:path */
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2 || c2[1] != '/')
            continue;
        const char *path = c2 + 1;
        if (list_has(c1 + 1, (size_t)(c2 - c1 - 1), "cpu")) {
            found_v1 = snprintf(out, n, "%s", path) < (int)n;
            break;
        }
        if (c1 == line + 1 && line[0] == '0' && c2 == c1 + 1)
            found_v2 = snprintf(v2path, sizeof v2path, "%s", path) < (int)sizeof v2path;
    }
    free(line);
    fclose(f);
    if (found_v1) {
        *v1 = true;
        return true;
    }
    if (found_v2) {
        *v1 = false;
        return snprintf(out, n, "%s", v2path) < (int)n;
    }
    return false;
}

/* mountinfo escapes blanks, tabs, newlines and backslashes as \ooo. */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
            r[3] >= '0' && r[3] <= '7') {
            *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
            r += 3;
        } else {
            *w++ = *r;
        }
    }
    *w = 0;
}

/* Is `path` the mount's root or below it? */
static bool under(const char *path, const char *mroot)
{
    if (strcmp(mroot, "/") == 0)
        return true;
    size_t l = strlen(mroot);
    return strncmp(path, mroot, l) == 0 && (path[l] == 0 || path[l] == '/');
}

/* The directories of the process's cgroup (*leaf) and of the top of its
 * mount (*top), both under the test root. */
static bool cgroup_dirs(bool v1, const char *cgpath, char *leaf, char *top, size_t n)
{
    FILE *f = open_proc("mountinfo");
    if (!f)
        return false;
    char *line = NULL;
    size_t cap = 0;
    bool ok = false;
    while (!ok && getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\n")] = 0;
        /* id parent major:minor root mountpoint options [optional...] - fstype source superopts */
        char *field[5];
        char *save = NULL, *tok = strtok_r(line, " ", &save);
        int i = 0;
        for (; tok && i < 5; tok = strtok_r(NULL, " ", &save))
            field[i++] = tok;
        if (i < 5)
            continue;
        while (tok && strcmp(tok, "-") != 0)
            tok = strtok_r(NULL, " ", &save);
        char *fstype = tok ? strtok_r(NULL, " ", &save) : NULL;
        char *source = fstype ? strtok_r(NULL, " ", &save) : NULL;
        char *super = source ? strtok_r(NULL, " ", &save) : NULL;
        if (!super)
            continue;
        if (v1 ? strcmp(fstype, "cgroup") != 0 || !list_has(super, strlen(super), "cpu")
               : strcmp(fstype, "cgroup2") != 0)
            continue;
        char *mroot = field[3], *mpoint = field[4];
        unescape(mroot);
        unescape(mpoint);
        if (!under(cgpath, mroot))
            continue;
        const char *rest = strcmp(mroot, "/") == 0 ? cgpath : cgpath + strlen(mroot);
        if (strcmp(rest, "/") == 0)
            rest = "";
        ok = snprintf(top, n, "%s%s", root_prefix(), mpoint) < (int)n &&
             snprintf(leaf, n, "%s%s", top, rest) < (int)n;
    }
    free(line);
    fclose(f);
    return ok;
}

static bool parse_i64(const char *s, char **end, int64_t *out)
{
    errno = 0;
    long long v = strtoll(s, end, 10);
    if (errno || *end == s)
        return false;
    *out = v;
    return true;
}

/* Only a line end (or nothing) may follow the last field. */
static bool at_end(const char *s)
{
    return s[0] == 0 || (s[0] == '\n' && s[1] == 0);
}

/* The limit of one cgroup directory in CPUs, or 0 for none. */
static double level_limit(bool v1, const char *dir)
{
    char path[CG_PATH_MAX], buf[128];
    char *end;
    int64_t quota, period;
    if (v1) {
        if (snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", dir) >= (int)sizeof path ||
            !read_small(path, buf, sizeof buf) || !parse_i64(buf, &end, &quota) || !at_end(end) ||
            quota <= 0)
            return 0;
        if (snprintf(path, sizeof path, "%s/cpu.cfs_period_us", dir) >= (int)sizeof path ||
            !read_small(path, buf, sizeof buf) || !parse_i64(buf, &end, &period) || !at_end(end) ||
            period <= 0)
            return 0;
        return (double)quota / (double)period;
    }
    if (snprintf(path, sizeof path, "%s/cpu.max", dir) >= (int)sizeof path ||
        !read_small(path, buf, sizeof buf))
        return 0;
    if (strncmp(buf, "max", 3) == 0)
        return 0;
    if (!parse_i64(buf, &end, &quota) || quota <= 0 || *end != ' ' ||
        !parse_i64(end + 1, &end, &period) || !at_end(end) || period <= 0)
        return 0;
    return (double)quota / (double)period;
}

double cgroup_cpu_limit(void)
{
    bool v1;
    char cgpath[CG_PATH_MAX], leaf[CG_PATH_MAX], top[CG_PATH_MAX];
    if (!own_cgroup(&v1, cgpath, sizeof cgpath) || !cgroup_dirs(v1, cgpath, leaf, top, sizeof leaf))
        return 0;
    size_t top_len = strlen(top);
    double tightest = 0;
    for (;;) {
        double l = level_limit(v1, leaf);
        if (l > 0 && (tightest == 0 || l < tightest))
            tightest = l;
        size_t len = strlen(leaf);
        if (len <= top_len)
            break;
        char *slash = strrchr(leaf, '/');
        if (!slash || (size_t)(slash - leaf) < top_len)
            break;
        *slash = 0;   /* the parent cgroup */
    }
    return tightest;
}

/* Go 1.25's rule: the limit rounded up, at least 2 (where there are 2
 * CPUs or more), at most the CPU count. */
int gomaxprocs_for_limit(int cpus, double limit)
{
    if (cpus > MAX_PROCS)
        cpus = MAX_PROCS;
    if (limit <= 0)
        return cpus;
    double up = ceil(limit);
    int n = up > (double)MAX_PROCS ? MAX_PROCS : (int)up;
    if (n < 2)
        n = 2;
    return n < cpus ? n : cpus;
}

int default_gomaxprocs(void)
{
    int cpus = cgroup_test_cpus > 0 ? cgroup_test_cpus : cpu_count();
    return gomaxprocs_for_limit(cpus, cgroup_cpu_limit());
}
