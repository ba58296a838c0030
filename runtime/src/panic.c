/*
 * panic.c — defer, panic, recover, gort_exit, and fatal errors.
 *
 * Each goroutine keeps a LIFO list of deferred calls.  They run when the
 * goroutine ends: its function returns, it calls gort_exit, or it panics.
 * C cannot unwind a stack back to a frame, so a panic never returns to the
 * code that raised it: it runs the deferred calls, and if one of them
 * recovered it, the goroutine then ends normally (main: the process exits
 * with status 0); otherwise the process prints Go's report and exits 2.
 *
 * fatal() is Go's throw: `fatal error: MSG`, the current goroutine, exit 2,
 * not recoverable.  Output goes straight to fd 2 with write(2) and stdio is
 * flushed first, so the report is complete and in order.
 */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct defer_rec {
    void (*fn)(void *);
    void *arg;
    struct defer_rec *next;
} defer_rec;

typedef struct panic_rec {
    char *msg;
    bool msg_owned;           /* msg was allocated for this panic */
    bool recovered;
    struct panic_rec *link;   /* the panic this one interrupted */
} panic_rec;

void gort__write_all(int fd, const char *s, size_t n)
{
    int saved = errno;
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        s += w;
        n -= (size_t)w;
    }
    errno = saved;
}

void gort__puts(int fd, const char *s) { gort__write_all(fd, s, strlen(s)); }

static void fdprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fdprintf(int fd, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    if (n > 0)
        gort__write_all(fd, buf, (size_t)n);
}

/* The running goroutine's part of a report: header, backtrace, creator. */
static void report_current(int fd)
{
    G *g = gort__getg();
    if (!g) {
        gort__puts(fd, "\n(on a thread that is not running a goroutine)\n");
        return;
    }
    gort__puts(fd, "\n");
    dump_goroutine_header(fd, g, true);
    uintptr_t pcs[TB_MAX_FRAMES + 8];
    int n = tb_self(pcs, TB_MAX_FRAMES + 8);
    tb_print(fd, pcs, n, false);   /* from the public call that panicked */
    dump_created_by(fd, g);
}

/* The start of every fatal report: the world is frozen first, so the
 * report is the end of the output (Go's freezetheworld).  The goroutines
 * running on other threads get up to FREEZE_WAIT_NS to reach a switch and
 * stop.  If another report froze it first, that one is ending the
 * process: wait for it. */
#define FREEZE_WAIT_NS (100 * 1000 * 1000)

static void begin_fatal_report(void)
{
    if (!freeze_world(FREEZE_WAIT_NS))
        for (;;)
            pause();
    fflush(NULL);
}

static _Noreturn void die(int status)
{
    fflush(NULL);
    _exit(status);
}

static _Noreturn void vfatal(bool with_goroutine, const char *fmt, va_list ap)
{
    begin_fatal_report();
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    fdprintf(2, "fatal error: %s\n", buf);
    if (with_goroutine)
        report_current(2);
    die(2);
}

_Noreturn void fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfatal(true, fmt, ap);
}

_Noreturn void fatal_deadlock(void)
{
    begin_fatal_report();
    gort__puts(2, "fatal error: all goroutines are asleep - deadlock!\n\n");
    dump_all(2, gort__getg(), true);
    die(2);
}

_Noreturn void fatal_nodump(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfatal(false, fmt, ap);
}

/* ---- defer ------------------------------------------------------------- */

static G *need_goroutine(const char *what)
{
    G *g = gort__getg();
    if (!g)
        fatal("%s called on a thread that is not running a goroutine", what);
    return g;
}

void gort_defer(void (*fn)(void *arg), void *arg)
{
    G *g = need_goroutine("gort_defer");
    if (!fn)
        gort_panic("runtime error: invalid memory address or nil pointer dereference (gort_defer of a nil function)");
    defer_rec *d = malloc(sizeof *d);
    if (!d)
        fatal("runtime: out of memory allocating a deferred call");
    d->fn = fn;
    d->arg = arg;
    d->next = g->defers;
    g->defers = d;
}

void defer_pop_internal(void)
{
    G *g = gort__getg();
    defer_rec *d = g->defers;
    g->defers = d->next;
    free(d);
}

/* Runs one deferred call.  `g` is re-read after it: a deferred call may
 * park, and the goroutine may resume on another thread (g itself is the
 * same descriptor, so it stays valid). */
static void run_one_defer(G *g, defer_rec *d)
{
    void (*fn)(void *) = d->fn;
    void *arg = d->arg;
    g->defers = d->next;
    free(d);
    g->defer_depth++;
    fn(arg);
    g->defer_depth--;
}

void run_defers(G *g)
{
    defer_rec *d;
    while ((d = g->defers) != NULL)
        run_one_defer(g, d);
}

/* ---- exit -------------------------------------------------------------- */

_Noreturn void gort_exit(void)
{
    G *g = need_goroutine("gort_exit");
    run_defers(g);
    if (g->is_main)
        st_rel(&sched.main_goexited, 1);
    goexit_final();
}

/* ---- panic / recover --------------------------------------------------- */

/* One write for the whole line, however long the message, so that nothing
 * can land inside it. */
static void write_panic_line(const char *prefix, const char *msg, const char *suffix)
{
    char *line = NULL;
    int n = asprintf(&line, "%s%s%s", prefix, msg, suffix);
    if (n < 0) {
        gort__puts(2, prefix);
        gort__puts(2, msg);
        gort__puts(2, suffix);
        return;
    }
    gort__write_all(2, line, (size_t)n);
    free(line);
}

static _Noreturn void panic_unrecovered(G *g, panic_rec *p)
{
    begin_fatal_report();
    /* Go prints the chain oldest first: "panic: A\n\tpanic: B". */
    panic_rec *chain[16];
    int n = 0;
    for (panic_rec *q = p; q && n < 16; q = q->link)
        chain[n++] = q;
    for (int i = n - 1; i >= 0; i--) {
        write_panic_line(i == n - 1 ? "panic: " : "\tpanic: ", chain[i]->msg,
                         chain[i]->recovered ? " [recovered]\n" : "\n");
    }
    (void)g;
    report_current(2);
    die(2);
}

_Noreturn void gort_panic(const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt ? fmt : "(null)", ap) < 0)
        msg = NULL;
    va_end(ap);
    G *g = gort__getg();
    panic_rec p = { msg ? msg : (char *)"(out of memory formatting the panic message)",
                    msg != NULL, false, NULL };
    if (!g) {
        begin_fatal_report();
        write_panic_line("panic: ", p.msg, "\n");
        report_current(2);
        die(2);
    }
    p.link = g->panicking;
    g->panicking = &p;
    defer_rec *d;
    while ((d = g->defers) != NULL) {
        run_one_defer(g, d);
        if (p.recovered)
            break;
    }
    if (!p.recovered)
        panic_unrecovered(g, &p);
    /* Recovered: the rest of the deferred calls run, then the goroutine
     * ends normally.  The panics this one interrupted (it was raised by one
     * of their deferred calls) are over too, as in Go, where a recovery
     * drops the panics it aborted: their frames never resume. */
    for (panic_rec *q = p.link; q; q = q->link)
        if (q->msg_owned)
            free(q->msg);
    g->panicking = NULL;
    run_defers(g);
    if (msg)
        free(msg);
    if (g->is_main)
        exit(0);
    goexit_final();
}

const char *gort_recover(void)
{
    G *g = gort__getg();
    if (!g || g->defer_depth == 0 || !g->panicking || g->panicking->recovered)
        return NULL;
    g->panicking->recovered = true;
    return g->panicking->msg;
}
