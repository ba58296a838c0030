// Anything missing, unreadable or malformed in the CPU limit's files means
// "no limit at that level", never a crash: a bad cpu.max (empty, garbage,
// negative or zero quota, zero or negative period, one field, numbers out
// of range, longer than any limit line, a directory) or bad v1
// cpu.cfs_quota_us / cpu.cfs_period_us gives limit 0 by itself, and a
// valid limit on the parent still counts above a bad leaf; a missing,
// empty or garbled /proc/self/cgroup or /proc/self/mountinfo, a path longer
// than PATH_MAX, a mount point that does not exist, or a test root that
// does not exist gives limit 0 (and default_gomaxprocs() the CPU count).
// White-box: fake trees under cgroup_test_root, read by cgroup_cpu_limit();
// run under ASan too, which catches a read past a buffer.
#include "cgroup_fake.h"

#define TOP  "sys/fs/cgroup"
#define LEAF TOP "/app"

static void fresh_v2(void)
{
    fcg_cleanup();
    fcg_init();
    fcg_v2_setup("/app");
    fcg_mkdir(LEAF);
}

static const char *bad_cpu_max[] = {
    "",
    "\n",
    " \n",
    "garbage\n",
    "-50000 100000\n",
    "0 100000\n",
    "50000 0\n",
    "50000 -100000\n",
    "50000\n",
    "50000 \n",
    "50000 abc\n",
    "50000\t100000\n",
    "99999999999999999999 100000\n",
    "50000 99999999999999999999\n",
    "-99999999999999999999 100000\n",
    " -1 -1\n",
    "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
    "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
    "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111 100000\n",
};

static const struct { const char *quota, *period; } bad_v1[] = {
    { "", "100000\n" },
    { "abc\n", "100000\n" },
    { "-1\n", "100000\n" },
    { "-50000\n", "100000\n" },
    { "0\n", "100000\n" },
    { "50000\n", "0\n" },
    { "50000\n", "-100000\n" },
    { "50000\n", "abc\n" },
    { "50000\n", "" },
    { "50000\n", NULL },                 /* no period file */
    { NULL, "100000\n" },                /* no quota file */
    { "99999999999999999999\n", "100000\n" },
    { "50000\n", "99999999999999999999\n" },
};

static const char *bad_proc_cgroup[] = {
    "",
    "\n",
    "garbage\n",
    "0\n",
    "0:\n",
    "0::\n",
    "0::app\n",                          /* not absolute */
    "::\n",
    "1:cpu\n",
    "1:cpu:\n",
    ":::::\n",
    "0:/app\n",
};

static const char *bad_mountinfo[] = {
    "",
    "\n",
    "garbage\n",
    "29 23 0:26 / /sys/fs/cgroup\n",                                  /* too few fields */
    "29 23 0:26 / /sys/fs/cgroup rw cgroup2 cgroup2 rw\n",             /* no "-" */
    "29 23 0:26 / /sys/fs/cgroup rw -\n",                              /* nothing after "-" */
    "29 23 0:26 / /sys/fs/cgroup rw - cgroup2\n",
    "29 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2\n",              /* no super options */
    "29 23 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n",               /* no cgroup2 mount */
    "29 23 0:26 / /sys/fs/cgroup rw - cgroup cgroup rw,cpu\n",         /* v1 mount, v2 process */
    "29 23 0:26 /other /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",      /* root outside /app */
    "29 23 0:26 / /nonexistent rw - cgroup2 cgroup2 rw\n",             /* no such mount point */
    "- - - - - - - - -\n",
    "29 23 0:26 / /sys/fs/cgroup\\ rw - cgroup2 cgroup2 rw\n",          /* a lone backslash */
    "29 23 0:26 / /sys/fs/cgroup\\9 rw - cgroup2 cgroup2 rw\n",
};

int main(void)
{
    fcg_init();
    cgroup_test_cpus = 8;

    /* ---- v2 cpu.max -------------------------------------------------- */
    for (size_t i = 0; i < sizeof bad_cpu_max / sizeof *bad_cpu_max; i++) {
        fresh_v2();
        fcg_write(LEAF "/cpu.max", bad_cpu_max[i]);
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "cpu.max \"%s\"", bad_cpu_max[i]);
        CHECK_EQ_INT(default_gomaxprocs(), 8);
        /* a bad leaf is no limit at that level only: the parent counts */
        fcg_v2_limit(TOP, 150000, 100000);
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 1.5, "cpu.max \"%s\" under a parent of 1.5", bad_cpu_max[i]);
        /* and a bad parent above a good leaf */
        fcg_write(TOP "/cpu.max", bad_cpu_max[i]);
        fcg_v2_limit(LEAF, 250000, 100000);
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 2.5, "parent's cpu.max \"%s\", leaf 2.5", bad_cpu_max[i]);
    }
    fresh_v2();
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "no cpu.max at all");
    fcg_mkdir(LEAF "/cpu.max");                       /* a directory: read fails */
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "cpu.max is a directory");
    fcg_v2_limit(TOP, 150000, 100000);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 1.5, "cpu.max a directory under a parent of 1.5");

    /* ---- v1 cpu.cfs_quota_us / cpu.cfs_period_us --------------------- */
    for (size_t i = 0; i < sizeof bad_v1 / sizeof *bad_v1; i++) {
        fcg_cleanup();
        fcg_init();
        fcg_write("proc/self/cgroup", "4:cpu,cpuacct:/grp/leaf\n0::/\n");
        fcg_write("proc/self/mountinfo", FCG_MOUNTS_OTHER
                  "30 23 0:27 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu,cpuacct\n");
        fcg_mkdir("sys/fs/cgroup/cpu/grp/leaf");
        if (bad_v1[i].quota)
            fcg_write("sys/fs/cgroup/cpu/grp/leaf/cpu.cfs_quota_us", bad_v1[i].quota);
        if (bad_v1[i].period)
            fcg_write("sys/fs/cgroup/cpu/grp/leaf/cpu.cfs_period_us", bad_v1[i].period);
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "v1 quota \"%s\" period \"%s\"",
                        bad_v1[i].quota ? bad_v1[i].quota : "(none)",
                        bad_v1[i].period ? bad_v1[i].period : "(none)");
        fcg_write("sys/fs/cgroup/cpu/grp/cpu.cfs_quota_us", "50000\n");
        fcg_write("sys/fs/cgroup/cpu/grp/cpu.cfs_period_us", "100000\n");
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0.5, "v1 quota \"%s\" period \"%s\" under a parent of 0.5",
                        bad_v1[i].quota ? bad_v1[i].quota : "(none)",
                        bad_v1[i].period ? bad_v1[i].period : "(none)");
    }

    /* ---- /proc/self/cgroup ------------------------------------------- */
    for (size_t i = 0; i < sizeof bad_proc_cgroup / sizeof *bad_proc_cgroup; i++) {
        fresh_v2();
        fcg_v2_limit(TOP, 150000, 100000);
        fcg_v2_limit(LEAF, 150000, 100000);
        fcg_write("proc/self/cgroup", bad_proc_cgroup[i]);
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "/proc/self/cgroup \"%s\"", bad_proc_cgroup[i]);
        CHECK_EQ_INT(default_gomaxprocs(), 8);
    }
    fresh_v2();
    fcg_v2_limit(TOP, 150000, 100000);
    fcg_unlink("proc/self/cgroup");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "no /proc/self/cgroup");
    /* a cgroup path longer than PATH_MAX (and a line longer than any buffer) */
    {
        static char line[3 * 4096 + 16];
        size_t n = (size_t)snprintf(line, sizeof line, "0::/app");
        while (n + 3 < 3 * 4096)
            n += (size_t)snprintf(line + n, sizeof line - n, "/xx");
        snprintf(line + n, sizeof line - n, "\n");
        fcg_write("proc/self/cgroup", line);
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "a 12 KiB cgroup path");
    }

    /* ---- /proc/self/mountinfo ---------------------------------------- */
    for (size_t i = 0; i < sizeof bad_mountinfo / sizeof *bad_mountinfo; i++) {
        fresh_v2();
        fcg_v2_limit(TOP, 150000, 100000);
        fcg_v2_limit(LEAF, 150000, 100000);
        fcg_write("proc/self/mountinfo", bad_mountinfo[i]);
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "/proc/self/mountinfo \"%s\"", bad_mountinfo[i]);
        CHECK_EQ_INT(default_gomaxprocs(), 8);
    }
    fresh_v2();
    fcg_v2_limit(TOP, 150000, 100000);
    fcg_unlink("proc/self/mountinfo");
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "no /proc/self/mountinfo");
    /* a mount point longer than PATH_MAX */
    {
        static char line[3 * 4096 + 128];
        size_t n = (size_t)snprintf(line, sizeof line, "29 23 0:26 / /sys/fs/cgroup");
        while (n + 3 < 3 * 4096)
            n += (size_t)snprintf(line + n, sizeof line - n, "/xx");
        snprintf(line + n, sizeof line - n, " rw - cgroup2 cgroup2 rw\n");
        fcg_write("proc/self/mountinfo", line);
        CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "a 12 KiB mount point");
    }
    /* garbled lines before a good one are passed over */
    fcg_write("proc/self/mountinfo", "garbage\n\n- - -\n29 23 0:26 / /sys/fs/cgroup rw\n"
                                     FCG_MOUNT_V2);
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 1.5, "garbled mountinfo lines before the cgroup2 mount");

    /* ---- a test root that does not exist ----------------------------- */
    cgroup_test_root = "/nonexistent/gort-cgtest";
    CHECK_LIMIT_MSG(cgroup_cpu_limit(), 0, "no files at all");
    CHECK_EQ_INT(default_gomaxprocs(), 8);
    return 0;
}
