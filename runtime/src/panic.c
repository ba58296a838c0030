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

/* The runtime's own deferred calls (a Once's unlock) sit on the same list
 * as the program's, so they run in the right order when the goroutine ends;
 * they are removed by identity (defer_cancel_internal), never as "the
 * newest", so a deferred call the program made meanwhile is never
 * displaced. */

typedef struct panic_rec {
    const char *msg;
    bool recovered;
    struct panic_rec *link;   /* the panic this one interrupted */
} panic_rec;

/* A panic's message.  It belongs to the goroutine (G.panic_msgs) and lives
 * until the goroutine ends, whatever ends the panic (a recovery, a
 * gort_exit in a deferred call, a further panic): gort_recover's string may
 * be kept by the program, and a panic's frame may never resume. */
typedef struct panic_msg {
    struct panic_msg *next;
    char text[];
} panic_msg;

static const char *panic_msg_new(G *g, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    panic_msg *m = n < 0 ? NULL : malloc(sizeof *m + (size_t)n + 1);
    if (!m)
        return "(out of memory formatting the panic message)";
    vsnprintf(m->text, (size_t)n + 1, fmt, ap);
    if (g) {
        m->next = g->panic_msgs;
        g->panic_msgs = m;
    }
    return m->text;   /* without a goroutine: reported, then the process ends */
}

void panic_free_messages(G *g)
{
    panic_msg *m = g->panic_msgs;
    g->panic_msgs = NULL;
    while (m) {
        panic_msg *next = m->next;
        free(m);
        m = next;
    }
}

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
    trace_at_fatal();   /* a trace is finished; the flight recorder's window is written */
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

static defer_rec *defer_push(G *g, void (*fn)(void *), void *arg)
{
    defer_rec *d = malloc(sizeof *d);
    if (!d)
        fatal("runtime: out of memory allocating a deferred call");
    d->fn = fn;
    d->arg = arg;
    d->next = g->defers;
    g->defers = d;
    return d;
}

void gort_defer(void (*fn)(void *arg), void *arg)
{
    NOTE_THREAD();
    G *g = need_goroutine("gort_defer");
    if (!fn)
        gort_panic("runtime error: invalid memory address or nil pointer dereference (gort_defer of a nil function)");
    defer_push(g, fn, arg);
}

struct defer_rec *defer_push_internal(void (*fn)(void *), void *arg)
{
    return defer_push(gort__getg(), fn, arg);
}

void defer_cancel_internal(struct defer_rec *d)
{
    G *g = gort__getg();
    for (defer_rec **pp = &g->defers; *pp; pp = &(*pp)->next) {
        if (*pp == d) {
            *pp = d->next;
            free(d);
            return;
        }
    }
    fatal("runtime: internal deferred call not found (already run?)");
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
    NOTE_THREAD();
    G *g = need_goroutine("gort_exit");
    /* From a deferred call while panics unwind, it ends them (Go's Goexit
     * during a panic): they are not reported, and gort_recover finds
     * nothing in the deferred calls still to run. */
    g->panicking = NULL;
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
    NOTE_THREAD();
    G *g = gort__getg();
    va_list ap;
    va_start(ap, fmt);
    panic_rec p = { panic_msg_new(g, fmt ? fmt : "(null)", ap), false, NULL };
    va_end(ap);
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
    g->panicking = NULL;
    run_defers(g);
    if (g->is_main)
        exit(0);
    goexit_final();
}

const char *gort_recover(void)
{
    NOTE_THREAD();
    G *g = gort__getg();
    if (!g || g->defer_depth == 0 || !g->panicking || g->panicking->recovered)
        return NULL;
    g->panicking->recovered = true;
    return g->panicking->msg;
}
