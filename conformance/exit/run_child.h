/* run_child.h — for tests that must see a gort program from outside: its
 * exit status and the exact order of what it wrote.  run_child() forks; the
 * child runs gort_main(fn) with stdout and stderr on pipes (or both on one
 * pipe, CHILD_MERGE, so the order of lines across the two streams is kept);
 * the parent, which never starts the runtime, collects everything until the
 * child is gone and returns the wait status.  A child still alive after the
 * timeout is killed (timed_out).  shared_mem() gives memory the child
 * writes and the parent reads after the child ended (e.g. goroutine ids).
 * GORT_CHILD_OUTPUT=FILE in the environment saves everything the child wrote
 * (stdout, then stderr) to FILE, for debugging a failure.
 *
 * Included by conformance/exit, conformance/panic and conformance/leaks
 * tests as "exit/run_child.h".  Uses check.h's CHECK*, which exit the
 * process at once (in the child as well as in the parent).
 */
#ifndef GORT_CONFORMANCE_RUN_CHILD_H
#define GORT_CONFORMANCE_RUN_CHILD_H

#include "check.h"

#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

enum { CHILD_MERGE = 1 };

typedef struct child_out {
    int status;        /* waitpid status */
    bool timed_out;    /* killed by the parent after the timeout */
    char *out;         /* stdout; stdout and stderr interleaved with CHILD_MERGE */
    size_t out_len;
    char *err;         /* stderr ("" with CHILD_MERGE) */
    size_t err_len;
} child_out;

typedef struct child_buf_ {
    char *p;
    size_t len, cap;
} child_buf_;

static CHECK_UNUSED void child_buf_add_(child_buf_ *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (b->len + n + 1 > cap) cap *= 2;
        char *p = (char *)realloc(b->p, cap);
        CHECK(p != NULL);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

/* Zero-filled memory shared with children forked after this call. */
static CHECK_UNUSED void *shared_mem(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    return p;
}

static CHECK_UNUSED child_out run_child(int (*fn)(int, char **), int flags, int64_t timeout_ns)
{
    int po[2], pe[2] = { -1, -1 };
    CHECK_EQ_INT(pipe(po), 0);
    if (!(flags & CHILD_MERGE)) CHECK_EQ_INT(pipe(pe), 0);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(po[0]);
        dup2(po[1], 1);
        if (flags & CHILD_MERGE) {
            dup2(po[1], 2);
        } else {
            close(pe[0]);
            dup2(pe[1], 2);
            close(pe[1]);
        }
        close(po[1]);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        static char *argv[] = { (char *)"gort-child", NULL };
        gort_main(fn, 1, argv);
        _exit(99);                         /* gort_main never returns */
    }
    close(po[1]);
    if (pe[1] >= 0) close(pe[1]);
#ifdef F_SETPIPE_SZ
    /* room for bursts, so that the child's writes rarely block on us */
    (void)fcntl(po[0], F_SETPIPE_SZ, 1 << 20);
    if (pe[0] >= 0) (void)fcntl(pe[0], F_SETPIPE_SZ, 1 << 20);
#endif
    child_buf_ bo = { 0 }, be = { 0 };
    child_buf_add_(&bo, "", 0);
    child_buf_add_(&be, "", 0);
    struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
    int open_fds = pe[0] >= 0 ? 2 : 1;
    int64_t deadline = now_ns() + timeout_ns;
    bool timed_out = false;
    char buf[1 << 16];
    while (open_fds > 0) {
        int64_t left = deadline - now_ns();
        if (left <= 0 && !timed_out) {
            timed_out = true;
            kill(pid, SIGKILL);             /* the pipes close with it */
        }
        int r = poll(fds, 2, timed_out ? 1000 : (int)(left / 1000000 + 1));
        if (r < 0 && errno == EINTR) continue;
        CHECK(r >= 0);
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
                continue;
            }
            child_buf_add_(i == 0 ? &bo : &be, buf, (size_t)n);
        }
    }
    child_out co;
    memset(&co, 0, sizeof co);
    CHECK_EQ_INT(waitpid(pid, &co.status, 0), pid);
    co.timed_out = timed_out;
    co.out = bo.p;
    co.out_len = bo.len;
    co.err = be.p;
    co.err_len = be.len;
    const char *save = getenv("GORT_CHILD_OUTPUT");   /* debugging aid: keep it all */
    if (save && *save) {
        int fd = open(save, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            check_write_all_(fd, co.out, co.out_len);
            check_write_all_(fd, co.err, co.err_len);
            close(fd);
        }
    }
    return co;
}

/* Prints what the child wrote (the tail of each stream) and fails. */
#define CHILD_FAIL(co, ...) \
    do { \
        check_fdprintf(2, "---- child status %#x%s; stdout%s (%zu bytes, tail) ----\n", (co)->status, \
                       (co)->timed_out ? " (timed out, killed)" : "", (co)->err_len ? "" : "+stderr", \
                       (co)->out_len); \
        size_t o_ = (co)->out_len > 6000 ? (co)->out_len - 6000 : 0; \
        check_write_all_(2, (co)->out + o_, (co)->out_len - o_); \
        if ((co)->err_len) { \
            check_fdprintf(2, "\n---- child stderr (%zu bytes, tail) ----\n", (co)->err_len); \
            size_t e_ = (co)->err_len > 6000 ? (co)->err_len - 6000 : 0; \
            check_write_all_(2, (co)->err + e_, (co)->err_len - e_); \
        } \
        check_fdprintf(2, "\n---- end of child output ----\n"); \
        FAIL(__VA_ARGS__); \
    } while (0)

#define CHILD_CHECK(co, cond) \
    do { if (!(cond)) CHILD_FAIL(co, "%s", #cond); } while (0)

/* Exit status of a child that exited normally, else -1 (killed by a signal). */
static CHECK_UNUSED int child_exit_status(const child_out *co)
{
    return WIFEXITED(co->status) ? WEXITSTATUS(co->status) : -1;
}

/* Start of the line that contains needle (first occurrence), or NULL. */
static CHECK_UNUSED const char *find_line(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    if (!p) return NULL;
    while (p > text && p[-1] != '\n') p--;
    return p;
}

/* Start of the last non-empty line of text ("" for none). */
static CHECK_UNUSED const char *last_line(const char *text, size_t len)
{
    while (len > 0 && text[len - 1] == '\n') len--;
    size_t s = len;
    while (s > 0 && text[s - 1] != '\n') s--;
    return text + s;
}

/* The newline before the next `goroutine N [` header after p, or NULL
 * (other lines may start with "goroutine ", e.g. "goroutine running on
 * other thread; stack unavailable"). */
static CHECK_UNUSED const char *next_header(const char *p)
{
    while ((p = strstr(p, "\ngoroutine ")) != NULL) {
        if (p[11] >= '0' && p[11] <= '9') return p;
        p++;
    }
    return NULL;
}

/* True when text has `file:line` not followed by another digit. */
static CHECK_UNUSED bool has_site(const char *text, const char *file, int line)
{
    char site[256];
    snprintf(site, sizeof site, "%s:%d", file, line);
    size_t l = strlen(site);
    for (const char *p = text; (p = strstr(p, site)) != NULL; p += l)
        if (p[l] < '0' || p[l] > '9') return true;
    return false;
}

#endif
