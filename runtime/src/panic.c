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
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct defer_rec {
    void (*fn)(void *);
    void *arg;
    struct defer_rec *next;
} defer_rec;

typedef struct panic_rec {
    char *msg;
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
    void *pcs[64];
    int n = backtrace(pcs, 64);
    if (n > 2)
        backtrace_symbols_fd(pcs + 2, n - 2, fd);   /* skip the runtime's own frames */
    if (g->file)
        fdprintf(fd, "created by %s:%d\n", g->file, g->line);
}

static _Noreturn void die(int status)
{
    fflush(NULL);
    _exit(status);
}

static _Noreturn void vfatal(bool with_goroutine, const char *fmt, va_list ap)
{
    fflush(NULL);
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
    fflush(NULL);
    gort__puts(2, "fatal error: all goroutines are asleep - deadlock!\n\n");
    dump_all(2, false);
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

static _Noreturn void panic_unrecovered(G *g, panic_rec *p)
{
    fflush(NULL);
    /* Go prints the chain oldest first: "panic: A\n\tpanic: B". */
    panic_rec *chain[16];
    int n = 0;
    for (panic_rec *q = p; q && n < 16; q = q->link)
        chain[n++] = q;
    for (int i = n - 1; i >= 0; i--)
        fdprintf(2, "%spanic: %s%s\n", i == n - 1 ? "" : "\t", chain[i]->msg,
                 chain[i]->recovered ? " [recovered]" : "");
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
    panic_rec p = { msg ? msg : (char *)"(out of memory formatting the panic message)", false, NULL };
    if (!g) {
        fflush(NULL);
        fdprintf(2, "panic: %s\n", p.msg);
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
     * ends normally. */
    g->panicking = p.link;
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
