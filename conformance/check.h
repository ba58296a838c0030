/*
 * check.h — tiny assertion helpers for the gort conformance suite.
 *
 * Header-only.  Every failing check prints
 *     FILE:LINE: check failed: EXPR (values)
 * to stderr with a single write(2) and ends the process with _exit(1), so it
 * is safe from any goroutine or plain thread (no stdio locks, no atexit, no
 * unwinding through the runtime).
 *
 * Include this first in a test (it defines _GNU_SOURCE).
 */
#ifndef GORT_CONFORMANCE_CHECK_H
#define GORT_CONFORMANCE_CHECK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gort.h>

#if defined(__GNUC__) || defined(__clang__)
#define CHECK_NOINLINE __attribute__((noinline))
#define CHECK_UNUSED   __attribute__((unused))
#define CHECK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CHECK_NOINLINE
#define CHECK_UNUSED
#define CHECK_PRINTF(f, a)
#endif

/* ---- output without stdio ------------------------------------------------ */

static CHECK_UNUSED void check_write_all_(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

/* printf-style message to fd in one write (truncated at 1 KiB). */
static CHECK_UNUSED CHECK_PRINTF(2, 3) void check_fdprintf(int fd, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    check_write_all_(fd, buf, (size_t)n);
}

static CHECK_UNUSED CHECK_PRINTF(4, 5) _Noreturn void
check_fail_(const char *file, int line, const char *expr, const char *fmt, ...)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%s:%d: check failed: %s", file, line, expr);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    {
        va_list ap;
        va_start(ap, fmt);
        size_t room = sizeof buf - (size_t)n;
        if (room > 3) {
            buf[n++] = ' ';
            buf[n++] = '(';
            room -= 2;
            int m = vsnprintf(buf + n, room - 1, fmt, ap);
            if (m > 0) n += ((size_t)m >= room - 1) ? (int)(room - 2) : m;
            buf[n++] = ')';
        }
        va_end(ap);
    }
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    buf[n++] = '\n';
    check_write_all_(2, buf, (size_t)n);
    _exit(1);
}

static CHECK_UNUSED _Noreturn void check_fail0_(const char *file, int line, const char *expr)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%s:%d: check failed: %s\n", file, line, expr);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    check_write_all_(2, buf, (size_t)n);
    _exit(1);
}

/* ---- assertions ------------------------------------------------------------ */

#define CHECK(cond) \
    do { if (!(cond)) check_fail0_(__FILE__, __LINE__, #cond); } while (0)

#define CHECK_MSG(cond, ...) \
    do { if (!(cond)) check_fail_(__FILE__, __LINE__, #cond, __VA_ARGS__); } while (0)

#define CHECK_OP_INT_(a, op, b) \
    do { \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
        if (!(check_a_ op check_b_)) \
            check_fail_(__FILE__, __LINE__, #a " " #op " " #b, "%lld vs %lld", \
                        check_a_, check_b_); \
    } while (0)

#define CHECK_EQ_INT(a, b) CHECK_OP_INT_(a, ==, b)
#define CHECK_NE_INT(a, b) CHECK_OP_INT_(a, !=, b)
#define CHECK_LT_INT(a, b) CHECK_OP_INT_(a, <, b)
#define CHECK_LE_INT(a, b) CHECK_OP_INT_(a, <=, b)
#define CHECK_GT_INT(a, b) CHECK_OP_INT_(a, >, b)
#define CHECK_GE_INT(a, b) CHECK_OP_INT_(a, >=, b)

#define CHECK_EQ_U64(a, b) \
    do { \
        unsigned long long check_a_ = (unsigned long long)(a), check_b_ = (unsigned long long)(b); \
        if (!(check_a_ == check_b_)) \
            check_fail_(__FILE__, __LINE__, #a " == " #b, "%llu vs %llu", check_a_, check_b_); \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle) \
    do { \
        const char *check_h_ = (hay), *check_n_ = (needle); \
        if (!check_h_ || !strstr(check_h_, check_n_)) \
            check_fail_(__FILE__, __LINE__, #hay " contains " #needle, "\"%s\" not found in:\n%.700s", \
                        check_n_, check_h_ ? check_h_ : "(null)"); \
    } while (0)

#define FAIL(...) check_fail_(__FILE__, __LINE__, "FAIL", __VA_ARGS__)

/* Exit 77 (ctest: skipped) with a message: the behaviour cannot be checked here. */
#define SKIP(...) \
    do { \
        check_fdprintf(2, "SKIP: "); \
        check_fdprintf(2, __VA_ARGS__); \
        check_fdprintf(2, "\n"); \
        _exit(77); \
    } while (0)

/* Sanitizer builds: memory measurements and million-goroutine tests are
 * meaningless (shadow memory, fake stacks) and are skipped. */
#if defined(GORT_SANITIZE_ADDRESS) || defined(GORT_SANITIZE_THREAD) || \
    defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CHECK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CHECK_SANITIZED 1
#endif
#endif
#ifndef CHECK_SANITIZED
#define CHECK_SANITIZED 0
#endif
#define SKIP_UNDER_SANITIZERS() \
    do { if (CHECK_SANITIZED) SKIP("memory-size test, not meaningful under a sanitizer"); } while (0)

/* ThreadSanitizer builds: TSan tracks each goroutine as a fiber and allows
 * 8128 of them alive at once (Go's race detector has the same limit), and
 * thread-local variables are shared by the goroutines that run on a thread,
 * which TSan reports as races between them. */
#if defined(GORT_SANITIZE_THREAD) || defined(__SANITIZE_THREAD__)
#define CHECK_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CHECK_TSAN 1
#endif
#endif
#ifndef CHECK_TSAN
#define CHECK_TSAN 0
#endif
#define SKIP_UNDER_TSAN(why) \
    do { if (CHECK_TSAN) SKIP("not under ThreadSanitizer: %s", why); } while (0)
#define TSAN_MANY_GOROUTINES "more than 8128 goroutines alive at once (TSan's limit, as Go's race detector's)"

/* Valgrind: CHECK_VALGRIND is true while the test runs under Valgrind
 * (RUNNING_ON_VALGRIND; `ctest -T memcheck` in a -DGORT_VALGRIND=ON build,
 * whose tests can also test GORT_VALGRIND).  Valgrind runs one thread at a
 * time, 20-50 times slower, with its own bookkeeping for every page: the
 * few tests that need millions of goroutines, timing accuracy or true
 * parallelism, or that measure memory, skip themselves with
 * SKIP_UNDER_VALGRIND(why). */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define CHECK_HAVE_VALGRIND_H_ 1
#endif
#endif
#if defined(GORT_VALGRIND) && !defined(CHECK_HAVE_VALGRIND_H_)
#error "GORT_VALGRIND build without <valgrind/valgrind.h>"
#endif
static CHECK_UNUSED bool check_valgrind_(void)
{
#if defined(CHECK_HAVE_VALGRIND_H_)
    return RUNNING_ON_VALGRIND != 0;
#else
    return false;
#endif
}
#define CHECK_VALGRIND (check_valgrind_())
#define SKIP_UNDER_VALGRIND(why) \
    do { if (CHECK_VALGRIND) SKIP("not under Valgrind: %s", why); } while (0)

/* Informational line to stderr (one write). */
#define NOTE(...) check_fdprintf(2, __VA_ARGS__)

/* ---- time ------------------------------------------------------------------- */

static CHECK_UNUSED int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#define MS(x) ((int64_t)(x) * 1000000LL)
#define US(x) ((int64_t)(x) * 1000LL)

/* Busy-waits (no yield, no system call but the vDSO clock) for ns. */
static CHECK_UNUSED void spin_ns(int64_t ns)
{
    int64_t end = now_ns() + ns;
    while (now_ns() < end) {
#if defined(__x86_64__) || defined(__i386__)
        __asm__ __volatile__("pause");
#elif defined(__aarch64__)
        __asm__ __volatile__("yield");
#endif
    }
}

static CHECK_UNUSED void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __asm__ __volatile__("pause");
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* ---- /proc helpers ---------------------------------------------------------- */

/* Reads a whole small file into buf (NUL-terminated); returns length or -1. */
static CHECK_UNUSED ssize_t read_file_into(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t n = 0;
    while (n + 1 < cap) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            close(fd);
            return -1;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    buf[n] = 0;
    close(fd);
    return (ssize_t)n;
}

/* The process's OS threads now (Threads: in /proc/self/status), or -1. */
static CHECK_UNUSED long os_thread_count(void)
{
    char buf[4096];
    if (read_file_into("/proc/self/status", buf, sizeof buf) <= 0) return -1;
    char *p = strstr(buf, "\nThreads:");
    return p ? strtol(p + 9, NULL, 10) : -1;
}

/* Resident set size in bytes (from /proc/self/statm). */
static CHECK_UNUSED int64_t rss_bytes(void)
{
    char buf[256];
    if (read_file_into("/proc/self/statm", buf, sizeof buf) <= 0) return -1;
    long long size = 0, resident = 0;
    if (sscanf(buf, "%lld %lld", &size, &resident) != 2) return -1;
    return (int64_t)resident * (int64_t)sysconf(_SC_PAGESIZE);
}

/* RSS minus pages freed lazily with MADV_FREE (which stay in RSS until the
 * kernel reclaims them): the memory a process really still holds.  Falls
 * back to rss_bytes() without smaps_rollup. */
static CHECK_UNUSED int64_t rss_effective_bytes(void)
{
    char buf[2048];
    if (read_file_into("/proc/self/smaps_rollup", buf, sizeof buf) <= 0) return rss_bytes();
    long long rss_kb = -1, lazy_kb = 0;
    for (char *line = buf; line && *line; ) {
        char *nl = strchr(line, '\n');
        if (strncmp(line, "Rss:", 4) == 0) sscanf(line + 4, "%lld", &rss_kb);
        else if (strncmp(line, "LazyFree:", 9) == 0) sscanf(line + 9, "%lld", &lazy_kb);
        line = nl ? nl + 1 : NULL;
    }
    if (rss_kb < 0) return rss_bytes();
    return (int64_t)(rss_kb - lazy_kb) * 1024;
}

/* Number of lines (mappings) in /proc/self/maps. */
static CHECK_UNUSED long maps_count(void)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buf[2048];               /* small: may run on a 64 KiB goroutine stack */
    long lines = 0;
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (r == 0) break;
        for (ssize_t i = 0; i < r; i++) lines += buf[i] == '\n';
    }
    close(fd);
    return lines;
}

static CHECK_UNUSED long gettid_(void) { return (long)syscall(SYS_gettid); }

/* ---- gort helpers ------------------------------------------------------------ */

static CHECK_UNUSED gort_stats stats_now(void)
{
    gort_stats s;
    memset(&s, 0, sizeof s);
    gort_stats_get(&s);
    return s;
}

/* Waits (yielding or sleeping in small steps) until gort_num_goroutine() <= n,
 * up to timeout_ns; returns the last value seen.  Works from goroutines only. */
static CHECK_UNUSED int wait_num_goroutine_at_most(int n, int64_t timeout_ns)
{
    int64_t end = now_ns() + timeout_ns;
    int c;
    while ((c = gort_num_goroutine()) > n && now_ns() < end) gort_sleep(US(200));
    return c;
}

/* Reads a whole (temporary) file into a malloc'ed NUL-terminated string and
 * closes it; NULL on failure. */
static CHECK_UNUSED char *file_to_string(int fd)
{
    off_t len = lseek(fd, 0, SEEK_END);
    char *s = len < 0 ? NULL : (char *)malloc((size_t)len + 1);
    if (!s) { close(fd); return NULL; }
    size_t got = 0;
    while (got < (size_t)len) {
        ssize_t r = pread(fd, s + got, (size_t)len - got, (off_t)got);
        if (r <= 0) break;
        got += (size_t)r;
    }
    s[got] = 0;
    close(fd);
    return s;
}

/* Reads everything gort_dump(fd) writes, into a malloc'ed NUL-terminated string. */
static CHECK_UNUSED char *dump_to_string(void)
{
    char path[] = "/tmp/gort-dump-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    unlink(path);
    gort_dump(fd);
    return file_to_string(fd);
}

/* Counts occurrences of needle in hay. */
static CHECK_UNUSED int count_substr(const char *hay, const char *needle)
{
    int n = 0;
    size_t l = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += l) n++;
    return n;
}

/* xorshift64* — a small per-caller PRNG. */
static CHECK_UNUSED uint64_t rand_next(uint64_t *s)
{
    uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ull;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Runs gort_main(child_main) in a forked child (the parent never starts
 * the runtime) with its stderr captured, and the environment variable
 * env_name set to env_value in the child (env_name NULL: none): returns
 * the child's wait status, and its stderr, NUL-terminated and truncated to
 * cap - 1 bytes, in err. */
static CHECK_UNUSED int run_gort_main_child_env(int (*child_main)(int, char **), const char *env_name,
                                                const char *env_value, char *err, size_t cap)
{
    int p[2];
    CHECK_EQ_INT(pipe2(p, O_CLOEXEC), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        dup2(p[1], 2);
        close(p[0]);
        if (env_name)
            setenv(env_name, env_value, 1);
        _exit(gort_main(child_main, 0, NULL));
    }
    close(p[1]);
    size_t n = 0;
    for (;;) {
        ssize_t r = read(p[0], err + n, cap - 1 - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += (size_t)r;
        if (n == cap - 1) break;
    }
    err[n] = 0;
    close(p[0]);
    int st = 0;
    CHECK_EQ_INT(waitpid(pid, &st, 0), pid);
    return st;
}

static CHECK_UNUSED int run_gort_main_child(int (*child_main)(int, char **), char *err, size_t cap)
{
    return run_gort_main_child_env(child_main, NULL, NULL, err, cap);
}

#endif /* GORT_CONFORMANCE_CHECK_H */
