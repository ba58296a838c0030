/*
 * memory.c — the suite's `memory` benchmark: resident memory per parked
 * task, one fresh process per point (bench/SUITE.md, the `memory` row and
 * "Memory extras").
 *
 *   memory/gort/n:N           N goroutines (default stacks) each blocked in
 *                             a receive on one shared unbuffered gort_chan
 *                             of int64_t
 *   memory/gort_packed2k/n:N  the same with gort_go_opts.stack_size 2048
 *                             (sub-page stacks, packed several to a page)
 *   memory/pthread/n:N        N threads (default stack, RLIMIT_STACK) each
 *                             waiting on one condvar
 *   memory/pthread_16k/n:N    the same with 16 KiB stacks
 *
 * What it does, in the process it is (run it once per point, so nothing of
 * an earlier point stays resident): reads RSS (/proc/self/statm resident
 * pages x page size), starts N tasks, waits until every one of them is
 * parked, reads RSS again (and gort_stats for gort), then releases them
 * all and joins them.  bytes_per_task = (rss_after - rss_before) / created.
 *
 * "Parked" is counted, not guessed.  A thread increments a counter under
 * the mutex it then atomically gives up in pthread_cond_wait, so once the
 * counter equals the number created, every thread is in the wait.  A
 * goroutine increments an atomic counter just before gort_chan_recv; when
 * the counter reaches N, the driving goroutine also waits until the
 * scheduler's switch count stops moving (1 ms apart), so the last few are
 * past their park too.
 *
 * gort's rss_before is read inside the driving goroutine (gort_run from
 * main), after the runtime has started: its threads and P's are not a
 * per-task cost.  The pthread side allocates and touches its pthread_t
 * array before rss_before, for the same reason.
 *
 * Creation failure is a result, not a crash: pthreads stop somewhere below
 * 1,000,000 (EAGAIN from kernel.threads-max, kernel.pid_max or
 * RLIMIT_NPROC; ENOMEM when vm.max_map_count runs out, each glibc stack
 * being two mappings).  The program then measures what was created, joins
 * it, and writes "error_occurred": true with an error_message naming the
 * errno, the limits and which one was hit; exit status 0.  Creation also
 * stops (same error form) after 60 s or when MemAvailable falls under
 * 512 MiB, so a machine with generous limits is not driven into the OOM
 * killer.  Default 8 MiB thread stacks are only reserved (a private
 * mapping; pages committed as touched), so they cost address space and
 * overcommit accounting, not RSS.
 *
 * Output: one JSON document in Google Benchmark's schema (bench/SUITE.md)
 * on stdout or in FILE, entry "memory/KIND/n:N" with real_time = ns to
 * create and park all tasks, cpu_time = the process's CPU ns over the same
 * interval, and counters bytes_per_task, rss_before, rss_after, created,
 * and for gort stack_committed_bytes, stack_reserved_bytes; also
 * page_table_bytes_per_task (growth of VmPTE / created), a cost RSS does
 * not show.  Neither does RSS show a thread's kernel stack and task_struct
 * (about 16 KiB + a few KiB of slab each, outside the process).  A one-line
 * summary goes to stderr.  Exit status 2 for usage errors, 1 for internal
 * failures, 0 otherwise.
 *
 *   build/bench/bench_memory gort 1000000 [--out FILE]
 *   for n in 1000 10000 100000 1000000; do build/bench/bench_memory pthread_16k $n; done
 */
#define _GNU_SOURCE
#include <gort.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define CREATE_TIME_LIMIT_NS (60LL * 1000000000LL)
#define MIN_MEM_AVAILABLE    ((int64_t)512 << 20)

enum kind { K_GORT, K_GORT_PACKED2K, K_PTHREAD, K_PTHREAD_16K };
static const char *const kind_names[] = {"gort", "gort_packed2k", "pthread", "pthread_16k"};

typedef struct result {
    enum kind kind;
    int64_t n, created;
    int64_t rss_before, rss_after;
    int64_t pte_before, pte_after;             /* VmPTE: page tables, not in RSS */
    int64_t real_ns, cpu_ns;
    int64_t stack_committed, stack_reserved;   /* gort only */
    int gomaxprocs;                            /* gort only */
    bool error;
    char msg[640];
} result;

/* ---- reading the system ---------------------------------------------------- */

static long page_size;

static int64_t now_ns(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long long size = 0, resident = -1;
    if (f) {
        if (fscanf(f, "%lld %lld", &size, &resident) != 2)
            resident = -1;
        fclose(f);
    }
    if (resident < 0) {
        fprintf(stderr, "bench_memory: cannot read /proc/self/statm\n");
        exit(1);
    }
    return (int64_t)resident * page_size;
}

/* VmPTE (the process's page tables) in bytes, 0 if unknown. */
static int64_t pte_bytes(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    long long kb = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmPTE: %lld kB", &kb) == 1)
            break;
    fclose(f);
    return (int64_t)kb * 1024;
}

/* The first line of a file, without its newline; "" if unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (!fgets(buf, (int)len, f))
        buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
}

static long read_long(const char *path)
{
    char buf[64];
    read_line(path, buf, sizeof buf);
    return buf[0] ? strtol(buf, NULL, 10) : -1;
}

/* MemAvailable in bytes, -1 if unknown. */
static int64_t mem_available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f)
        return -1;
    char line[128];
    int64_t v = -1;
    while (fgets(line, sizeof line, f)) {
        long long kb;
        if (sscanf(line, "MemAvailable: %lld kB", &kb) == 1) {
            v = (int64_t)kb * 1024;
            break;
        }
    }
    fclose(f);
    return v;
}

/* Tasks (threads) on the whole system: /proc/loadavg's "running/total". */
static long system_tasks(void)
{
    char buf[128];
    read_line("/proc/loadavg", buf, sizeof buf);
    char *slash = strchr(buf, '/');
    return slash ? strtol(slash + 1, NULL, 10) : -1;
}

static long count_maps(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    long n = 0;
    int c;
    while ((c = getc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static void rlimit_nproc(char *buf, size_t len)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NPROC, &rl) != 0)
        snprintf(buf, len, "unknown");
    else if (rl.rlim_cur == RLIM_INFINITY)
        snprintf(buf, len, "unlimited");
    else
        snprintf(buf, len, "%llu", (unsigned long long)rl.rlim_cur);
}

static const char *errno_name(int e)
{
    switch (e) {
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EINVAL: return "EINVAL";
    case EPERM: return "EPERM";
    default: return "errno";
    }
}

/* ---- pthreads -------------------------------------------------------------- */

static pthread_mutex_t pt_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pt_release = PTHREAD_COND_INITIALIZER;
static pthread_cond_t pt_all_in = PTHREAD_COND_INITIALIZER;
static int64_t pt_parked, pt_expected = -1;
static bool pt_released;

static void *pthread_task(void *arg)
{
    pthread_mutex_lock(&pt_mu);
    if (++pt_parked == pt_expected)
        pthread_cond_signal(&pt_all_in);
    /* pt_parked was counted under pt_mu, which the wait gives up
     * atomically: a counted thread is in the wait. */
    while (!pt_released)
        pthread_cond_wait(&pt_release, &pt_mu);
    pthread_mutex_unlock(&pt_mu);
    return arg;
}

static int run_pthread(result *r)
{
    size_t stack = r->kind == K_PTHREAD_16K ? 16 * 1024 : 0;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    int e = stack ? pthread_attr_setstacksize(&attr, stack) : 0;
    if (e != 0) {
        fprintf(stderr, "bench_memory: pthread_attr_setstacksize: %s\n", strerror(e));
        return 1;
    }
    pthread_t *th = malloc((size_t)r->n * sizeof *th);
    if (!th) {
        fprintf(stderr, "bench_memory: out of memory for %lld thread ids\n", (long long)r->n);
        return 1;
    }
    memset(th, 0, (size_t)r->n * sizeof *th);   /* resident before rss_before */

    r->pte_before = pte_bytes();
    r->rss_before = rss_bytes();
    int64_t t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    int err = 0;
    const char *stopped = NULL;
    while (r->created < r->n) {
        if ((r->created & 255) == 255) {
            if (now_ns(CLOCK_MONOTONIC) - t0 > CREATE_TIME_LIMIT_NS) {
                stopped = "creation took longer than 60 s";
                break;
            }
            int64_t avail = mem_available();
            if (avail >= 0 && avail < MIN_MEM_AVAILABLE) {
                stopped = "MemAvailable fell below 512 MiB";
                break;
            }
        }
        if ((err = pthread_create(&th[r->created], &attr, pthread_task, NULL)) != 0)
            break;
        r->created++;
    }
    pthread_attr_destroy(&attr);

    if (err != 0 || stopped) {
        /* Read the facts while the tasks still exist. */
        char nproc[32];
        rlimit_nproc(nproc, sizeof nproc);
        long tmax = read_long("/proc/sys/kernel/threads-max");
        long pmax = read_long("/proc/sys/kernel/pid_max");
        long mmax = read_long("/proc/sys/vm/max_map_count");
        long tasks = system_tasks(), maps = count_maps();
        struct rlimit rl;
        bool nproc_finite = getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
        const char *hit = "none of these near its limit";
        if (stopped)
            hit = stopped;
        else if (mmax > 0 && maps >= mmax - 16)
            hit = "vm.max_map_count (two mappings per thread stack)";
        else if (pmax > 0 && tasks >= pmax - 400)
            hit = "kernel.pid_max (one pid per thread)";
        else if (tmax > 0 && tasks >= tmax - 400)
            hit = "kernel.threads-max";
        else if (nproc_finite && (int64_t)rl.rlim_cur <= r->created + 400)
            hit = "RLIMIT_NPROC";
        else if (err == ENOMEM)
            hit = "memory (ENOMEM)";
        char what[128];
        if (stopped)
            snprintf(what, sizeof what, "stopped creating after %lld threads: %s",
                     (long long)r->created, stopped);
        else
            snprintf(what, sizeof what, "pthread_create failed after %lld threads: %s (%s)",
                     (long long)r->created, errno_name(err), strerror(err));
        snprintf(r->msg, sizeof r->msg,
                 "%s; limits: threads-max %ld, pid_max %ld, max_map_count %ld, RLIMIT_NPROC %s; "
                 "at that point %ld tasks system-wide and %ld mappings in this process; "
                 "the limit hit: %s",
                 what, tmax, pmax, mmax, nproc, tasks, maps, hit);
        r->error = true;
    }

    pthread_mutex_lock(&pt_mu);
    pt_expected = r->created;
    while (pt_parked < r->created)
        pthread_cond_wait(&pt_all_in, &pt_mu);
    pthread_mutex_unlock(&pt_mu);
    r->real_ns = now_ns(CLOCK_MONOTONIC) - t0;
    r->cpu_ns = now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;
    r->rss_after = rss_bytes();
    r->pte_after = pte_bytes();

    pthread_mutex_lock(&pt_mu);
    pt_released = true;
    pthread_cond_broadcast(&pt_release);
    pthread_mutex_unlock(&pt_mu);
    for (int64_t i = 0; i < r->created; i++)
        pthread_join(th[i], NULL);
    free(th);
    return 0;
}

/* ---- gort ------------------------------------------------------------------ */

static gort_chan *g_release;
static gort_waitgroup g_done;
static atomic_llong g_parked;

static void gort_task(void *arg)
{
    (void)arg;
    int64_t v;
    atomic_fetch_add_explicit(&g_parked, 1, memory_order_relaxed);
    gort_chan_recv(g_release, &v);   /* false when closed: the release */
    gort_wg_done(&g_done);
}

static void gort_driver(void *arg)
{
    result *r = arg;
    gort_go_opts packed = {.stack_size = 2048, .name = NULL};
    const gort_go_opts *opts = r->kind == K_GORT_PACKED2K ? &packed : NULL;
    g_release = gort_chan_make(sizeof(int64_t), 0);
    r->gomaxprocs = gort_gomaxprocs(0);

    r->pte_before = pte_bytes();
    r->rss_before = rss_bytes();
    int64_t t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    gort_wg_add(&g_done, r->n);
    for (int64_t i = 0; i < r->n; i++)
        gort_go_at(gort_task, NULL, opts, __FILE__, __LINE__);
    r->created = r->n;
    /* Yield while they start: this goroutine goes behind them. */
    while (atomic_load_explicit(&g_parked, memory_order_relaxed) < r->n)
        gort_yield();
    r->real_ns = now_ns(CLOCK_MONOTONIC) - t0;
    r->cpu_ns = now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;

    /* The last ones counted may still be on their way into the receive:
     * wait until nothing but this goroutine's own sleep switches. */
    gort_stats s0, s1;
    gort_stats_get(&s0);
    for (int tries = 0; tries < 1000; tries++) {
        gort_sleep(1000000);
        gort_stats_get(&s1);
        if (s1.switches - s0.switches <= 2)
            break;
        s0 = s1;
    }
    r->rss_after = rss_bytes();
    r->pte_after = pte_bytes();
    gort_stats_get(&s1);
    r->stack_committed = s1.stack_committed_bytes;
    r->stack_reserved = s1.stack_reserved_bytes;

    gort_chan_close(g_release);
    gort_wg_wait(&g_done);
    gort_chan_unref(g_release);
}

/* ---- output ---------------------------------------------------------------- */

static void json_string(FILE *f, const char *s)
{
    putc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            putc(c, f);
    }
    putc('"', f);
}

static void date_now(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    char z[8];
    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(z, sizeof z, "%z", &tm);   /* +hhmm; Google Benchmark writes +hh:mm */
    size_t n = strlen(buf);
    if (strlen(z) == 5)
        snprintf(buf + n, len - n, "%.3s:%.2s", z, z + 3);
}

static void write_json(FILE *f, const result *r, const char *exe, const char *name)
{
    char date[64], thp[128], nproc[32];
    date_now(date, sizeof date);
    read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof thp);
    rlimit_nproc(nproc, sizeof nproc);
    bool is_gort = r->kind == K_GORT || r->kind == K_GORT_PACKED2K;

    fprintf(f, "{\n  \"context\": {\n    \"date\": ");
    json_string(f, date);
    fprintf(f, ",\n    \"executable\": ");
    json_string(f, exe);
    fprintf(f, ",\n    \"num_cpus\": %ld,\n    \"kind\": ", sysconf(_SC_NPROCESSORS_ONLN));
    json_string(f, kind_names[r->kind]);
    fprintf(f, ",\n    \"thp\": ");
    json_string(f, thp);
    fprintf(f,
            ",\n    \"threads_max\": %ld,\n    \"pid_max\": %ld,\n    \"max_map_count\": %ld,"
            "\n    \"overcommit_memory\": %ld,\n    \"rlimit_nproc\": ",
            read_long("/proc/sys/kernel/threads-max"), read_long("/proc/sys/kernel/pid_max"),
            read_long("/proc/sys/vm/max_map_count"), read_long("/proc/sys/vm/overcommit_memory"));
    json_string(f, nproc);
    fprintf(f, ",\n    \"page_size\": %ld", page_size);
    if (is_gort)
        fprintf(f, ",\n    \"gomaxprocs\": %d", r->gomaxprocs);
    fprintf(f, ",\n    \"gort_version\": \"%d.%d.%d\"\n  },\n", GORT_VERSION_MAJOR,
            GORT_VERSION_MINOR, GORT_VERSION_PATCH);

    double per = r->created > 0 ? (double)(r->rss_after - r->rss_before) / (double)r->created : 0;
    fprintf(f, "  \"benchmarks\": [\n    {\n      \"name\": ");
    json_string(f, name);
    fprintf(f, ",\n      \"run_name\": ");
    json_string(f, name);
    fprintf(f,
            ",\n      \"run_type\": \"iteration\",\n      \"repetitions\": 1,"
            "\n      \"repetition_index\": 0,\n      \"threads\": 1,\n      \"iterations\": 1,");
    if (r->error) {
        fprintf(f, "\n      \"error_occurred\": true,\n      \"error_message\": ");
        json_string(f, r->msg);
        putc(',', f);
    }
    fprintf(f,
            "\n      \"real_time\": %lld,\n      \"cpu_time\": %lld,\n      \"time_unit\": \"ns\","
            "\n      \"bytes_per_task\": %.1f,\n      \"rss_before\": %lld,"
            "\n      \"rss_after\": %lld,\n      \"created\": %lld,"
            "\n      \"page_table_bytes_per_task\": %.1f",
            (long long)r->real_ns, (long long)r->cpu_ns, per, (long long)r->rss_before,
            (long long)r->rss_after, (long long)r->created,
            r->created > 0 ? (double)(r->pte_after - r->pte_before) / (double)r->created : 0.0);
    if (is_gort)
        fprintf(f, ",\n      \"stack_committed_bytes\": %lld,\n      \"stack_reserved_bytes\": %lld",
                (long long)r->stack_committed, (long long)r->stack_reserved);
    fprintf(f, "\n    }\n  ]\n}\n");
}

/* ---- main ------------------------------------------------------------------ */

static void usage(FILE *f, const char *exe)
{
    fprintf(f,
            "usage: %s KIND N [--out FILE]\n"
            "  Starts N tasks that each block, measures resident memory per task\n"
            "  ((RSS with N parked - RSS before) / N), releases and joins them, and\n"
            "  writes one Google Benchmark JSON entry memory/KIND/n:N (stdout or FILE).\n"
            "  Run one process per point.\n"
            "  KIND: gort           goroutines blocked receiving on one channel\n"
            "        gort_packed2k  the same with gort_go_opts.stack_size = 2048\n"
            "        pthread        threads waiting on one condvar, default stack\n"
            "        pthread_16k    the same with 16 KiB stacks\n"
            "  N:    tasks, e.g. 1000 10000 100000 1000000\n"
            "  A creation failure (thread limits) is reported in the JSON\n"
            "  (error_occurred, error_message) with exit status 0.\n",
            exe);
}

int main(int argc, char **argv)
{
    const char *exe = argv[0], *out = NULL, *pos[2] = {NULL, NULL};
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout, exe);
            return 0;
        } else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strncmp(argv[i], "--out=", 6)) {
            out = argv[i] + 6;
        } else if (argv[i][0] == '-' || npos == 2) {
            usage(stderr, exe);
            return 2;
        } else {
            pos[npos++] = argv[i];
        }
    }
    if (npos != 2) {
        usage(stderr, exe);
        return 2;
    }
    result r;
    memset(&r, 0, sizeof r);
    int k = -1;
    for (int i = 0; i < 4; i++)
        if (!strcmp(pos[0], kind_names[i]))
            k = i;
    char *end;
    errno = 0;
    long long n = strtoll(pos[1], &end, 10);
    if (k < 0 || errno || *end || n < 1 || n > 100000000) {
        fprintf(stderr, "%s: want KIND in gort, gort_packed2k, pthread, pthread_16k "
                        "and N in 1 .. 100000000\n", exe);
        usage(stderr, exe);
        return 2;
    }
    r.kind = (enum kind)k;
    r.n = n;
    page_size = sysconf(_SC_PAGESIZE);

    FILE *f = stdout;
    if (out && !(f = fopen(out, "w"))) {
        fprintf(stderr, "%s: %s: %s\n", exe, out, strerror(errno));
        return 1;
    }

    if (r.kind == K_GORT || r.kind == K_GORT_PACKED2K)
        gort_run(gort_driver, &r);
    else if (run_pthread(&r) != 0)
        return 1;

    char name[64];
    snprintf(name, sizeof name, "memory/%s/n:%lld", kind_names[r.kind], n);
    write_json(f, &r, exe, name);
    if (f != stdout ? fclose(f) != 0 : fflush(f) != 0) {
        fprintf(stderr, "%s: writing the result: %s\n", exe, strerror(errno));
        return 1;
    }

    double per = r.created > 0 ? (double)(r.rss_after - r.rss_before) / (double)r.created : 0;
    fprintf(stderr, "%s: %lld of %lld parked in %.3f s (cpu %.3f s), rss %.1f -> %.1f MiB, "
                    "%.0f bytes/task (+%.0f page tables)%s%s\n",
            name, (long long)r.created, n, (double)r.real_ns / 1e9, (double)r.cpu_ns / 1e9,
            (double)r.rss_before / 1048576.0, (double)r.rss_after / 1048576.0, per,
            r.created > 0 ? (double)(r.pte_after - r.pte_before) / (double)r.created : 0.0,
            r.error ? "; " : "", r.error ? r.msg : "");
    return 0;
}
