/* trace_support.h — what the trace tests share: a temporary file, reading
 * a trace back, and scripts/trace_check.py (the consistency rules: every
 * park followed by an unpark or nothing, no goroutine on two Ps at once,
 * B/E alternating per P in time order, ...) run on it.  A test whose main
 * is a plain main() that forks gort programs (the runtime must not start
 * in it) defines TRACE_SUPPORT_PLAIN_MAIN first. */
#ifndef GORT_TRACE_SUPPORT_H
#define GORT_TRACE_SUPPORT_H
#include "check.h"

#define TRACE_CHECK_PY GORT_SOURCE_DIR "/scripts/trace_check.py"

/* A new empty file under /tmp; its path in path (>= 64 bytes); the fd. */
static CHECK_UNUSED int trace_tmpfile(char *path)
{
    strcpy(path, "/tmp/gort-trace-test-XXXXXX");
    int fd = mkstemp(path);
    CHECK_MSG(fd >= 0, "mkstemp: %s", strerror(errno));
    return fd;
}

/* The whole file, NUL-terminated (malloc'ed). */
static CHECK_UNUSED char *trace_read(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    CHECK_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
    char *s = file_to_string(fd);
    close(fd);
    CHECK(s != NULL);
    return s;
}

/* Runs trace_check.py --json on path: its exit status (0 consistent, 1
 * violations, 2 unreadable), its output (summary or violations) in out. */
static CHECK_UNUSED int trace_check(const char *path, char *out, size_t cap)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' --json '%s' 2>&1", TRACE_CHECK_PY, path);
#ifndef TRACE_SUPPORT_PLAIN_MAIN
    gort_syscall_enter();   /* a blocking call: the P goes on without us */
#endif
    FILE *f = popen(cmd, "r");
    CHECK_MSG(f != NULL, "popen: %s", strerror(errno));
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = 0;
    int st = pclose(f);
#ifndef TRACE_SUPPORT_PLAIN_MAIN
    gort_syscall_exit();
#endif
    CHECK_MSG(WIFEXITED(st), "trace_check.py did not exit normally (status %#x)", st);
    return WEXITSTATUS(st);
}

/* Fails unless trace_check.py finds path consistent; returns its summary
 * (static storage). */
static CHECK_UNUSED const char *trace_check_ok(const char *path)
{
    static char out[1 << 16];
    int rc = trace_check(path, out, sizeof out);
    CHECK_MSG(rc == 0, "trace_check.py %s: exit %d:\n%.4000s", path, rc, out);
    return out;
}

/* A trace file is whole JSON: it starts and ends as the format says. */
static CHECK_UNUSED void trace_check_whole(const char *s)
{
    CHECK_MSG(strncmp(s, "{\"traceEvents\":[", 16) == 0, "trace does not start with traceEvents: %.80s", s);
    size_t n = strlen(s);
    CHECK_MSG(n > 2 && s[n - 1] == '\n' && s[n - 2] == '}', "trace does not end with }\\n: ...%s",
              n > 80 ? s + n - 80 : s);
}

#ifndef TRACE_SUPPORT_PLAIN_MAIN
static CHECK_UNUSED void trace_spawn_done_(void *wg) { gort_wg_done((gort_waitgroup *)wg); }

/* One goroutine that does nothing, created as if at site:line (its
 * GoCreate names them); returns once it has ended. */
static CHECK_UNUSED void trace_spawn_at(const char *site, int line)
{
    static gort_waitgroup wg;
    gort_wg_add(&wg, 1);
    gort_go_at(trace_spawn_done_, &wg, NULL, site, line);
    gort_wg_wait(&wg);
}
#endif

/* The trace in path, read (malloc'ed), after checking it is whole JSON
 * that trace_check.py finds consistent. */
static CHECK_UNUSED char *trace_read_checked(const char *path)
{
    char *s = trace_read(path);
    trace_check_whole(s);
    trace_check_ok(path);
    return s;
}

#endif
