/*
 * trace.c — the execution tracer (GORT_TRACE=FILE, gort_trace_start/stop)
 * and the flight recorder (gort_flight_recorder_*), Go's runtime/trace and
 * trace.FlightRecorder in Chrome/Perfetto trace-event JSON.
 *
 * Recording.  The scheduler calls the trace_* hooks of internal.h at each
 * event: a goroutine created, started on a P, stopped (parked with its wait
 * reason, yielded, preempted, entered a system call, ended), made runnable
 * again (unpark), and an M taking or releasing a P.  With no trace running
 * a hook is one relaxed load of trace_enabled and a branch predicted not
 * taken.  With one running, the event becomes a fixed-size binary record
 * (trace_rec) in the recording thread's own buffer (M.trace_buf): no lock,
 * no allocation, no formatting on the hot path.  Threads that are not Ms
 * (plain threads, sysmon) share one buffer under trace.lock; they record
 * rarely (a plain thread's channel send waking a goroutine).
 *
 * Buffers are per M, not per P (Go's tracer moved to per-M buffers in Go
 * 1.22 for the same reason): events happen on threads that hold no P (a
 * goroutine leaving a system call, a wired goroutine's thread waiting for
 * one) and an M's records are then in time order by construction.  Each
 * record names the P it happened on, which is what the JSON's tracks show.
 *
 * A full buffer is swapped for a free one under trace.lock (rank TRACE, the
 * highest: events are recorded under any other runtime lock).  The writer
 * thread keeps the free list stocked; when it runs dry (the writer is
 * behind) the recording thread maps a new buffer itself (mmap: a system
 * call needs no stack to speak of, and the path may run on a 1 KiB
 * goroutine stack).  Only past TRACE_MAX_BUFS, or if mmap fails, is an
 * event lost (counted: otherData.lost_events).
 *
 * Two modes, one at a time (the other's start returns -EBUSY):
 *   stream  full buffers go to the writer thread (a plain pthread, invisible
 *           to the scheduler), which formats them as JSON into the fd; at
 *           stop every thread's partial buffer follows.  Events are written
 *           buffer by buffer: sorted per thread, not globally (trace viewers
 *           sort by ts; scripts/trace_check.py sorts before it checks).
 *   flight  full buffers go into a ring that keeps the newest ~N bytes; the
 *           oldest is recycled.  gort_flight_recorder_write copies the ring
 *           and every thread's partial buffer under trace.lock (a thread
 *           swaps buffers only under it, so what it copies stays put),
 *           sorts by time and writes the window.  At a fatal error or a
 *           deadlock report the window is written to GORT_FLIGHT_FILE, or to
 *           gort-flight-PID.json in the working directory.
 *
 * Stopping without stopping the world (each M's trace_seq, a seqlock):
 *   recorder: trace_seq odd; #StoreLoad fence; load trace_enabled; if on,
 *             append; trace_seq even (release).
 *   stopper:  trace_enabled = 0; #StoreLoad fence; for every M, wait while
 *             its trace_seq is odd.
 * Either the recorder sees trace_enabled == 0 and records nothing, or the
 * stopper sees its odd trace_seq and waits for the record to be complete;
 * after the wait no M touches its buffer until the next start, so the
 * stopper takes them (M.trace_buf is written only under trace.lock, by its
 * M or by the stopper once the M is quiescent).  Ms are never freed (allm).
 *
 * Control calls (start, stop, the recorder's, at exit) are serialised by
 * trace.ctl, a pthread mutex: it is taken before trace.lock and never while
 * a runtime lock is held, except by trace_at_fatal, which only tries it (a
 * deadlock is reported under sched.lock).
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum trace_mode { TRACE_OFF = 0, TRACE_STREAM, TRACE_FLIGHT };

typedef struct trace_rec {
    int64_t     ts;       /* trace_ticks(): the CPU counter, or nanotime() */
    uint64_t    g;        /* the goroutine the event is about (GoCreate: the creator) */
    uint64_t    arg;      /* GoCreate: the new id; GoUnpark: the waker; B: the M */
    const char *site;     /* GoCreate: the creation file (a string literal) */
    int32_t     p;        /* the P it happened on, -1 for none (then the M's track) */
    int32_t     m;        /* the M that recorded it, -1 for a thread that is not one */
    int32_t     line;     /* GoCreate: the creation line; Proc*: the P */
    uint8_t     kind;     /* enum trace_kind */
    uint8_t     why;      /* GoStop: enum trace_why */
    uint8_t     reason;   /* GoStop(park): enum wait_reason */
    uint8_t     pad_;
} trace_rec;

#define TRACE_BUF_RECS 1360   /* ~64 KiB */

typedef struct trace_buf {
    struct trace_buf *next;
    uint32_t          n;      /* records filled; release-stored after each */
    trace_rec         rec[TRACE_BUF_RECS];
} trace_buf;

/* Free buffers the writer keeps in stock, beyond one per M. */
#define TRACE_FREE_SPARE 8
/* At most 256 MiB of buffers: a writer that falls that far behind (a slow
 * pipe) costs events (counted as lost), not the machine's memory. */
#define TRACE_MAX_BUFS 4096

uint32_t trace_enabled;   /* the hot path's flag; written under trace.ctl */

static struct {
    pthread_mutex_t ctl;      /* start, stop, the recorder's calls */
    rt_lock   lock;           /* the lists below, every M.trace_buf, other_buf */
    int       mode;           /* enum trace_mode; under lock */
    int64_t   start_ns;       /* nanotime() at the start */
    int64_t   start_ticks;    /* trace_ticks() then */
    double    ns_per_tick;    /* 0 until calibrated (stream: once; flight: at each write) */
    trace_buf *free;          int nfree;
    trace_buf *full_head, *full_tail; int nfull;   /* stream: for the writer; flight: the ring */
    int       ring_cap;       /* flight: buffers kept */
    int64_t   dropped_until;  /* flight: the last event dropped from the ring */
    trace_buf *other_buf;     /* threads that are not Ms */
    uint64_t  lost;
    int       nbufs;          /* buffers mapped now (atomic) */
    /* stream mode's writer thread */
    int       fd;
    pthread_t writer;
    uint32_t  writer_word;    /* futex: bumped when there is work or it must end */
    bool      writer_quit;
    bool      atexit_done;
} trace = { .ctl = PTHREAD_MUTEX_INITIALIZER, .lock = RT_LOCK_INIT(TRACE) };

static const char *const why_names[] = {
    [TRACE_WHY_PARK] = "park", [TRACE_WHY_YIELD] = "yield", [TRACE_WHY_PREEMPT] = "preempt",
    [TRACE_WHY_SYSCALL] = "syscall", [TRACE_WHY_END] = "end",
};

/* ---- the clock ------------------------------------------------------------ */

/* Events are stamped with the CPU's counter where the kernel itself keeps
 * time by it (x86's TSC when it is the clocksource: invariant and in step
 * across CPUs; AArch64's generic timer, always): about 10 ns a read here,
 * where clock_gettime takes 23.  The writer turns ticks into nanoseconds
 * since the start with one linear map per trace (a stream: calibrated once,
 * at least TRACE_CALIBRATE_NS after the start; a flight window: at each
 * write), so the order of events is the counter's, whatever the map's
 * error.  Elsewhere, or with GORT_TRACE_CLOCK=monotonic, nanotime(). */
#define TRACE_CALIBRATE_NS (10 * 1000 * 1000)

static int use_counter;   /* set at each start; read by every record */

static inline int64_t trace_ticks(void)
{
#if defined(__x86_64__)
    if (likely(ld_rlx(&use_counter)))
        return (int64_t)__builtin_ia32_rdtsc();
#elif defined(__aarch64__)
    if (likely(ld_rlx(&use_counter))) {
        uint64_t v;
        __asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
        return (int64_t)v;
    }
#endif
    return nanotime();
}

static void clock_choose(void)
{
    const char *want = getenv("GORT_TRACE_CLOCK");
    int counter = 0;
#if defined(__x86_64__)
    char buf[32] = "";
    int fd = open("/sys/devices/system/clocksource/clocksource0/current_clocksource", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        buf[n > 0 ? n : 0] = 0;
    }
    counter = strncmp(buf, "tsc", 3) == 0 && (buf[3] == '\n' || buf[3] == 0);
#elif defined(__aarch64__)
    counter = 1;
#endif
    if (want && strcmp(want, "monotonic") == 0)
        counter = 0;
    st_rlx(&use_counter, counter);
}

/* ns per tick from the start to now (1 for nanotime()). */
static double clock_rate_now(void)
{
    if (!use_counter)
        return 1.0;
#if defined(__aarch64__)
    uint64_t f;
    __asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
    if (f)
        return 1e9 / (double)f;
#endif
    int64_t t = trace_ticks(), ns = nanotime();
    if (t <= trace.start_ticks || ns <= trace.start_ns)
        return 1.0;
    return (double)(ns - trace.start_ns) / (double)(t - trace.start_ticks);
}

/* Nanoseconds since the start of the trace of a record's ticks. */
static int64_t ticks_to_rel_ns(int64_t ticks)
{
    double rel = (double)(ticks - trace.start_ticks) * trace.ns_per_tick;
    return rel > 0 ? (int64_t)rel : 0;
}

/* ---- recording ------------------------------------------------------------ */

/* This thread holds trace.lock: a fatal error raised meanwhile (a lock
 * rank violation) must not re-enter the tracer (trace_at_fatal). */
static __thread int holding_trace_lock;

static void lock_trace(void)
{
    rt_lock_acquire(&trace.lock);
    holding_trace_lock++;
}

static void unlock_trace(void)
{
    holding_trace_lock--;
    rt_lock_release(&trace.lock);
}

/* Buffers are mapped, not malloc'ed: a thread whose free list ran dry
 * maps one on the recording path, which may run on a 1 KiB goroutine
 * stack (a system call needs none of it; malloc might). */
static trace_buf *buf_new(void)
{
    void *mem = mmap(NULL, sizeof(trace_buf), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return NULL;
    trace_buf *b = mem;
    b->next = NULL;
    b->n = 0;
    xadd(&trace.nbufs, 1);
    return b;
}

static void buf_free(trace_buf *b)
{
    munmap(b, sizeof(trace_buf));
    xadd(&trace.nbufs, -1);
}

static trace_buf *free_pop_locked(void)
{
    trace_buf *b = trace.free;
    if (b) {
        trace.free = b->next;
        trace.nfree--;
        b->next = NULL;
        b->n = 0;
    }
    return b;
}

static void free_push_locked(trace_buf *b)
{
    b->next = trace.free;
    trace.free = b;
    trace.nfree++;
}

static void full_push_locked(trace_buf *b)
{
    b->next = NULL;
    if (trace.full_tail)
        trace.full_tail->next = b;
    else
        trace.full_head = b;
    trace.full_tail = b;
    trace.nfull++;
}

static trace_buf *full_pop_locked(void)
{
    trace_buf *b = trace.full_head;
    if (b) {
        trace.full_head = b->next;
        if (!trace.full_head)
            trace.full_tail = NULL;
        trace.nfull--;
        b->next = NULL;
    }
    return b;
}

/* Flight mode: the ring's oldest buffer leaves the window.  Events of
 * other threads from before its last one may have left with earlier
 * buffers, so the window written starts after it (dropped_until): from
 * there on, every thread's events are all kept. */
static trace_buf *drop_oldest_locked(void)
{
    trace_buf *b = full_pop_locked();
    if (b && b->n > 0 && b->rec[b->n - 1].ts > trace.dropped_until)
        trace.dropped_until = b->rec[b->n - 1].ts;
    return b;
}

static void writer_kick(void)
{
    xadd(&trace.writer_word, 1);
    futex_wake(&trace.writer_word, 1);
}

/* Hands in a full (or NULL) buffer and returns an empty one, or NULL when
 * none is free (the event is lost).  Under trace.lock. */
static trace_buf *swap_locked(trace_buf *full)
{
    if (full && full->n > 0) {
        full_push_locked(full);
        if (trace.mode == TRACE_FLIGHT) {
            while (trace.nfull > trace.ring_cap)
                free_push_locked(drop_oldest_locked());
        }
    } else if (full) {
        free_push_locked(full);
    }
    trace_buf *b = free_pop_locked();
    if (!b && trace.mode == TRACE_FLIGHT && trace.nfull > 0)
        b = drop_oldest_locked();   /* more threads than spare buffers: the oldest goes */
    if (!b && ld_rlx(&trace.nbufs) < TRACE_MAX_BUFS)
        b = buf_new();           /* the writer is behind: never drop while memory allows */
    if (b)
        b->n = 0;
    if (trace.mode == TRACE_STREAM && (full || trace.nfree < TRACE_FREE_SPARE))
        writer_kick();
    return b;
}

static void fill(trace_buf *b, int64_t ts, int kind, int32_t p, int32_t m, uint64_t g, uint64_t arg,
                 const char *site, int32_t line, int why, int reason)
{
    uint32_t n = b->n;
    trace_rec *r = &b->rec[n];
    r->ts = ts;
    r->g = g;
    r->arg = arg;
    r->site = site;
    r->p = p;
    r->m = m;
    r->line = line;
    r->kind = (uint8_t)kind;
    r->why = (uint8_t)why;
    r->reason = (uint8_t)reason;
    r->pad_ = 0;
    st_rel(&b->n, n + 1);   /* the flight recorder's copy reads up to n */
}

static void trace_record(int kind, int32_t p, uint64_t g, uint64_t arg, const char *site, int32_t line,
                         int why, int reason)
{
    int64_t ts = trace_ticks();
    M *m = gort__getm();
    if (!m) {
        lock_trace();
        if (ld_rlx(&trace_enabled) && trace.mode != TRACE_OFF) {
            trace_buf *b = trace.other_buf;
            if (!b || b->n == TRACE_BUF_RECS)
                b = trace.other_buf = swap_locked(b);
            if (b)
                fill(b, ts, kind, -1, -1, g, arg, site, line, why, reason);
            else
                trace.lost++;
        }
        unlock_trace();
        return;
    }
    uint32_t seq = m->trace_seq;
    st_rlx(&m->trace_seq, seq + 1);
    /* #StoreLoad with trace_stop (it stores trace_enabled = 0, fences, then
     * reads every trace_seq): our odd trace_seq before our read of the flag. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (ld_acq(&trace_enabled)) {
        trace_buf *b = m->trace_buf;
        if (!b || b->n == TRACE_BUF_RECS) {
            lock_trace();
            b = m->trace_buf = swap_locked(b);
            if (!b)
                trace.lost++;
            unlock_trace();
        }
        if (b)
            fill(b, ts, kind, p, m->id, g, arg, site, line, why, reason);
    }
    st_rel(&m->trace_seq, seq + 2);
}

/* The hooks' recording halves (internal.h's trace_go_* call them when a
 * trace runs). */
#define COLD __attribute__((cold, noinline))

COLD void trace_go_create_slow(const G *parent, const G *g, const P *p)
{
    trace_record(TRACE_GO_CREATE, p ? p->id : -1, parent ? parent->id : 0, g->id, g->file, g->line, 0, 0);
}

COLD void trace_go_start_slow(const M *m, const P *p, const G *g)
{
    trace_record(TRACE_GO_START, p->id, g->id, (uint64_t)m->id, NULL, 0, 0, 0);
}

COLD void trace_go_stop_slow(const P *p, const G *g, int why)
{
    trace_record(TRACE_GO_STOP, p ? p->id : -1, g->id, 0, NULL, 0, why, g->wait_reason);
}

COLD void trace_switch_slow(const M *m, const G *from, const G *to, int why)
{
    if (why >= 0)
        trace_go_stop_slow(m->p, from, why);
    if (to)
        trace_go_start_slow(m, m->p, to);
}

COLD void trace_go_unpark_by_slow(const G *g, const G *by, const P *p)
{
    trace_record(TRACE_GO_UNPARK, p ? p->id : -1, g->id, by ? by->id : 0, NULL, 0, 0, 0);
}

COLD void trace_go_unpark_slow(const G *g)
{
    M *m = gort__getm();
    trace_go_unpark_by_slow(g, m ? m->curg : NULL, m ? m->p : NULL);
}

COLD void trace_proc_slow(int kind, const M *m, const P *p)
{
    trace_record(kind, -1, 0, (uint64_t)m->id, NULL, p->id, 0, 0);
}

/* ---- JSON ----------------------------------------------------------------- */

typedef struct json_out {
    int      fd;
    int      err;         /* first write error (errno) */
    bool     first;       /* no event written yet */
    int      max_p;       /* highest P id seen, -1 */
    int      max_m;       /* highest M id seen, -1 */
    bool     other_seen;  /* an event from a thread that is not an M */
    uint64_t events;
    size_t   n;
    char     buf[1 << 16];
} json_out;

static void out_flush(json_out *o)
{
    size_t done = 0;
    while (done < o->n && !o->err) {
        ssize_t w = write(o->fd, o->buf + done, o->n - done);
        if (w < 0) {
            if (errno != EINTR)
                o->err = errno;
            continue;
        }
        done += (size_t)w;
    }
    o->n = 0;
}

static void out_raw(json_out *o, const char *s, size_t len)
{
    if (o->n + len > sizeof o->buf)
        out_flush(o);
    if (len > sizeof o->buf) {
        gort__write_all(o->fd, s, len);
        return;
    }
    memcpy(o->buf + o->n, s, len);
    o->n += len;
}

static void out_str(json_out *o, const char *s) { out_raw(o, s, strlen(s)); }

static void out_fmt(json_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_fmt(json_out *o, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (len > 0)
        out_raw(o, tmp, (size_t)len < sizeof tmp ? (size_t)len : sizeof tmp - 1);
}

/* A JSON string's characters, escaped (no quotes). */
static void out_json_chars(json_out *o, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            out_raw(o, e, 2);
        } else if (c < 0x20) {
            out_fmt(o, "\\u%04x", c);
        } else {
            out_raw(o, (const char *)&c, 1);
        }
    }
}

static void out_json_string(json_out *o, const char *s)
{
    out_raw(o, "\"", 1);
    out_json_chars(o, s);
    out_raw(o, "\"", 1);
}

static void out_begin_event(json_out *o)
{
    out_raw(o, o->first ? "\n" : ",\n", o->first ? 1 : 2);
    o->first = false;
    o->events++;
}

/* The writer formats millions of events a second: no printf on this path. */
#define OUT_LIT(o, lit) out_raw((o), (lit), sizeof(lit) - 1)

static void out_u64(json_out *o, uint64_t v)
{
    char tmp[24], *e = tmp + sizeof tmp, *q = e;
    do {
        *--q = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out_raw(o, q, (size_t)(e - q));
}

static void out_int(json_out *o, int64_t v)
{
    if (v < 0) {
        OUT_LIT(o, "-");
        v = -v;
    }
    out_u64(o, (uint64_t)v);
}

/* The common head of an event: "ph", its track and "ts" (microseconds,
 * three decimals). */
static void out_head(json_out *o, char ph, int pid, int tid, int64_t ts)
{
    int64_t rel = ticks_to_rel_ns(ts);
    out_begin_event(o);
    char head[] = "{\"ph\":\"?\",\"pid\":";
    head[7] = ph;
    OUT_LIT(o, head);
    out_int(o, pid);
    OUT_LIT(o, ",\"tid\":");
    out_int(o, tid);
    OUT_LIT(o, ",\"ts\":");
    out_u64(o, (uint64_t)(rel / 1000));
    char frac[4] = { '.', (char)('0' + rel % 1000 / 100), (char)('0' + rel % 100 / 10), (char)('0' + rel % 10) };
    out_raw(o, frac, 4);
}

static void out_record(json_out *o, const trace_rec *r)
{
    if (r->m > o->max_m)
        o->max_m = r->m;
    if (r->m < 0)
        o->other_seen = true;
    if (r->p > o->max_p)
        o->max_p = r->p;
    /* Instants go on the P's track if there was one, else the thread's
     * (tid: the M's id, from 1; 0 for threads that are not Ms). */
    int mtid = r->m > 0 ? r->m : 0;
    int pid = r->p >= 0 ? 1 : 2, tid = r->p >= 0 ? r->p : mtid;
    switch (r->kind) {
    case TRACE_GO_START:
        out_head(o, 'B', 1, r->p, r->ts);
        OUT_LIT(o, ",\"name\":\"G");
        out_u64(o, r->g);
        OUT_LIT(o, "\",\"cat\":\"run\",\"args\":{\"g\":");
        out_u64(o, r->g);
        OUT_LIT(o, ",\"m\":");
        out_u64(o, r->arg);
        OUT_LIT(o, "}}");
        break;
    case TRACE_GO_STOP:
        out_head(o, 'E', 1, r->p, r->ts);
        OUT_LIT(o, ",\"cat\":\"run\",\"args\":{\"g\":");
        out_u64(o, r->g);
        OUT_LIT(o, ",\"why\":\"");
        out_str(o, r->why < sizeof why_names / sizeof why_names[0] && why_names[r->why] ? why_names[r->why] : "?");
        OUT_LIT(o, "\"");
        if (r->why == TRACE_WHY_PARK) {
            OUT_LIT(o, ",\"reason\":");
            out_json_string(o, wait_reason_string(r->reason));
        }
        OUT_LIT(o, "}}");
        break;
    case TRACE_GO_CREATE:
        out_head(o, 'i', pid, tid, r->ts);
        OUT_LIT(o, ",\"s\":\"t\",\"name\":\"GoCreate\",\"args\":{\"g\":");
        out_u64(o, r->g);
        OUT_LIT(o, ",\"new\":");
        out_u64(o, r->arg);
        OUT_LIT(o, ",\"site\":\"");
        if (r->site) {
            out_json_chars(o, r->site);
            OUT_LIT(o, ":");
            out_int(o, r->line);
        } else {
            out_str(o, r->arg == 1 ? "gort_main" : "?");   /* main has no creation site */
        }
        OUT_LIT(o, "\"}}");
        break;
    case TRACE_GO_UNPARK:
        out_head(o, 'i', pid, tid, r->ts);
        OUT_LIT(o, ",\"s\":\"t\",\"name\":\"GoUnpark\",\"args\":{\"g\":");
        out_u64(o, r->g);
        OUT_LIT(o, ",\"by\":");
        out_u64(o, r->arg);
        OUT_LIT(o, "}}");
        break;
    case TRACE_PROC_START:
    case TRACE_PROC_STOP:
        out_head(o, 'i', 2, mtid, r->ts);
        if (r->kind == TRACE_PROC_START)
            OUT_LIT(o, ",\"s\":\"t\",\"name\":\"ProcStart\",\"args\":{\"p\":");
        else
            OUT_LIT(o, ",\"s\":\"t\",\"name\":\"ProcStop\",\"args\":{\"p\":");
        out_int(o, r->line);
        OUT_LIT(o, ",\"m\":");
        out_u64(o, r->arg);
        OUT_LIT(o, "}}");
        break;
    default:
        o->events--;
        break;
    }
}

static void out_open(json_out *o, int fd)
{
    o->fd = fd;
    o->err = 0;
    o->first = true;
    o->max_p = -1;
    o->max_m = -1;
    o->other_seen = false;
    o->events = 0;
    o->n = 0;
    out_str(o, "{\"traceEvents\":[");
}

static void out_buffer(json_out *o, const trace_buf *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        out_record(o, &b->rec[i]);
}

static void out_track_name(json_out *o, int pid, int tid, const char *fmt, int id)
{
    out_begin_event(o);
    o->events--;   /* metadata is not an event */
    char name[32];
    snprintf(name, sizeof name, fmt, id);
    out_fmt(o, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\",\"args\":{\"name\":\"%s\"}}",
            pid, tid, name);
    out_begin_event(o);
    o->events--;
    out_fmt(o, "{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":%d}}",
            pid, tid, tid);
}

/* The tracks' names, then the end of the object. */
static void out_close(json_out *o, const char *mode, uint64_t lost)
{
    out_begin_event(o);
    o->events--;
    out_str(o, "{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":\"Ps\"}}");
    out_begin_event(o);
    o->events--;
    out_str(o, "{\"ph\":\"M\",\"pid\":2,\"name\":\"process_name\",\"args\":{\"name\":\"threads\"}}");
    for (int p = 0; p <= o->max_p; p++)
        out_track_name(o, 1, p, "P%d", p);
    if (o->other_seen)
        out_track_name(o, 2, 0, "other threads%.0d", 0);
    for (int m = 1; m <= o->max_m; m++)
        out_track_name(o, 2, m, "M%d", m);
    out_fmt(o, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"producer\":\"gort %d.%d.%d\","
            "\"format\":\"gort-trace-1\",\"mode\":\"%s\",\"clock\":\"CLOCK_MONOTONIC\","
            "\"lost_events\":%llu}}\n",
            GORT_VERSION_MAJOR, GORT_VERSION_MINOR, GORT_VERSION_PATCH, mode, (unsigned long long)lost);
    out_flush(o);
}

/* ---- stream mode: the writer thread -------------------------------------- */

static json_out *stream_out;

/* The stream's one tick-to-ns map, measured over at least
 * TRACE_CALIBRATE_NS from the start (the writer waits for it: the
 * recording threads do not). */
static void calibrate_stream(void)
{
    int64_t left = trace.start_ns + TRACE_CALIBRATE_NS - nanotime();
    if (use_counter && left > 0) {
        struct timespec ts = { left / 1000000000, left % 1000000000 };
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
    }
    trace.ns_per_tick = clock_rate_now();
}

/* Formats the full buffers as they come and keeps the free list stocked;
 * at stop (writer_quit, every buffer handed in) writes the rest and ends. */
static void *writer_main(void *unused)
{
    (void)unused;
    json_out *o = stream_out;
    for (;;) {
        uint32_t word = ld_acq(&trace.writer_word);
        lock_trace();
        trace_buf *list = trace.full_head;
        trace.full_head = trace.full_tail = NULL;
        trace.nfull = 0;
        bool quit = trace.writer_quit;
        int want = TRACE_FREE_SPARE + ld_rlx(&sched.mcount) - trace.nfree;
        unlock_trace();
        trace_buf *spare = NULL;
        for (int i = 0; i < want; i++) {
            trace_buf *b = buf_new();
            if (!b)
                break;
            b->next = spare;
            spare = b;
        }
        if (list && trace.ns_per_tick == 0)
            calibrate_stream();
        for (trace_buf *b = list; b; b = b->next)
            out_buffer(o, b, b->n);
        lock_trace();
        while (list) {
            trace_buf *b = list;
            list = b->next;
            free_push_locked(b);
        }
        while (spare) {
            trace_buf *b = spare;
            spare = b->next;
            free_push_locked(b);
        }
        bool more = trace.full_head != NULL;
        unlock_trace();
        if (quit && !more)
            break;
        if (!more)
            futex_wait(&trace.writer_word, word, NULL);
    }
    return NULL;
}

/* ---- start and stop ------------------------------------------------------ */

static void free_all_locked(void)
{
    trace_buf *b;
    while ((b = free_pop_locked()) != NULL)
        buf_free(b);
    while ((b = full_pop_locked()) != NULL)
        buf_free(b);
}

/* Stocks the free list with n buffers; false if memory ran out. */
static bool stock(int n)
{
    for (int i = 0; i < n; i++) {
        trace_buf *b = buf_new();
        if (!b)
            return false;
        lock_trace();
        free_push_locked(b);
        unlock_trace();
    }
    return true;
}

static void at_exit(void);

static int start_locked(int mode, int fd, size_t bytes)
{
    if (trace.mode != TRACE_OFF)
        return -EBUSY;
    int threads = ld_rlx(&sched.mcount);
    int ring = 0;
    if (mode == TRACE_FLIGHT) {
        size_t per = sizeof(trace_buf);
        ring = (int)((bytes + per - 1) / per);
        if (ring < 2)
            ring = 2;
    }
    if (!stock(TRACE_FREE_SPARE + threads + ring)) {
        lock_trace();
        free_all_locked();
        unlock_trace();
        return -ENOMEM;
    }
    lock_trace();
    trace.mode = mode;
    trace.ring_cap = ring;
    trace.lost = 0;
    trace.dropped_until = 0;
    clock_choose();
    trace.ns_per_tick = 0;
    trace.start_ticks = trace_ticks();
    trace.start_ns = nanotime();
    trace.fd = fd;
    trace.writer_quit = false;
    unlock_trace();
    if (mode == TRACE_STREAM) {
        stream_out = malloc(sizeof *stream_out);
        if (stream_out)
            out_open(stream_out, fd);
        if (!stream_out || pthread_create(&trace.writer, NULL, writer_main, NULL) != 0) {
            free(stream_out);
            stream_out = NULL;
            lock_trace();
            trace.mode = TRACE_OFF;
            free_all_locked();
            unlock_trace();
            return -EAGAIN;
        }
    }
    if (!trace.atexit_done) {
        trace.atexit_done = true;
        atexit(at_exit);
    }
    /* The Ms' buffers were taken at the last stop (NULL): this release
     * publishes that, and the stock, to every recorder's acquire. */
    st_rel(&trace_enabled, 1);
    return 0;
}

/* Turns recording off and waits until no M is inside a record (the
 * seqlock in the header comment); then every M's buffer is the caller's. */
static void quiesce(void)
{
    st_rel(&trace_enabled, 0);
    /* #StoreLoad with trace_record: the flag's store before the reads of
     * trace_seq. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (M *m = ld_acq(&sched.allm); m; m = m->alllink) {
        while (ld_acq(&m->trace_seq) & 1)
            sched_yield();
    }
}

/* Hands every thread's partial buffer in (stream: to the writer; flight:
 * to the ring's end, oldest dropped as usual). */
static void collect_partial_locked(void)
{
    for (M *m = ld_acq(&sched.allm); m; m = m->alllink) {
        trace_buf *b = m->trace_buf;
        m->trace_buf = NULL;
        if (b && b->n > 0)
            full_push_locked(b);
        else if (b)
            free_push_locked(b);
    }
    trace_buf *b = trace.other_buf;
    trace.other_buf = NULL;
    if (b && b->n > 0)
        full_push_locked(b);
    else if (b)
        free_push_locked(b);
}

static void stop_locked(void)
{
    if (trace.mode == TRACE_OFF)
        return;
    quiesce();
    lock_trace();
    int mode = trace.mode;
    collect_partial_locked();
    trace.writer_quit = true;
    unlock_trace();
    if (mode == TRACE_STREAM) {
        writer_kick();
        pthread_join(trace.writer, NULL);
        json_out *o = stream_out;
        out_close(o, "trace", trace.lost);
        if (o->err) {
            char msg[160];
            int len = snprintf(msg, sizeof msg, "gort: trace: writing the trace failed: %s\n", strerror(o->err));
            gort__write_all(2, msg, (size_t)len);
        }
        free(o);
        stream_out = NULL;
    }
    lock_trace();
    free_all_locked();
    trace.mode = TRACE_OFF;
    unlock_trace();
}

static int start_mode(int mode, int fd, size_t bytes)
{
    pthread_mutex_lock(&trace.ctl);
    int r = start_locked(mode, fd, bytes);
    pthread_mutex_unlock(&trace.ctl);
    return r;
}

/* Stops what runs if it is of this mode (a trace stop leaves a recorder alone). */
static void stop_mode(int mode)
{
    pthread_mutex_lock(&trace.ctl);
    if (trace.mode == mode)
        stop_locked();
    pthread_mutex_unlock(&trace.ctl);
}

int gort_trace_start(int fd)
{
    NOTE_THREAD();
    gort__runtime_init();
    if (fd < 0)
        return -EBADF;
    return start_mode(TRACE_STREAM, fd, 0);
}

void gort_trace_stop(void)
{
    NOTE_THREAD();
    stop_mode(TRACE_STREAM);
}

/* ---- the flight recorder ------------------------------------------------- */

int gort_flight_recorder_start(size_t bytes)
{
    NOTE_THREAD();
    gort__runtime_init();
    if (bytes == 0)
        return -EINVAL;
    if (bytes > ((size_t)1 << 40))
        return -ENOMEM;
    return start_mode(TRACE_FLIGHT, -1, bytes);
}

void gort_flight_recorder_stop(void)
{
    NOTE_THREAD();
    stop_mode(TRACE_FLIGHT);
}

typedef struct snap_rec { trace_rec r; uint64_t order; } snap_rec;

static int by_time(const void *a, const void *b)
{
    const snap_rec *x = a, *y = b;
    if (x->r.ts != y->r.ts)
        return x->r.ts < y->r.ts ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static size_t copy_buffer(snap_rec *out, size_t at, const trace_buf *b)
{
    uint32_t n = ld_acq(&b->n);
    for (uint32_t i = 0; i < n; i++, at++) {
        out[at].r = b->rec[i];
        out[at].order = at;
    }
    return at;
}

/* The window: the ring and every thread's partial buffer, copied under
 * trace.lock (no buffer changes hands meanwhile; records below a buffer's
 * n are complete), then sorted and written outside it. */
static int write_window_locked(int fd)
{
    lock_trace();
    size_t cap = (size_t)trace.nfull * TRACE_BUF_RECS + TRACE_BUF_RECS;
    for (M *m = ld_acq(&sched.allm); m; m = m->alllink)
        cap += TRACE_BUF_RECS;
    uint64_t lost = trace.lost;
    unlock_trace();
    /* Allocated outside the lock, with room for buffers that fill meanwhile
     * (one per thread at most: a swap needs the lock we take next). */
    snap_rec *recs = malloc(cap * sizeof *recs);
    if (!recs)
        return -ENOMEM;
    size_t n = 0;
    lock_trace();
    for (const trace_buf *b = trace.full_head; b && n + TRACE_BUF_RECS <= cap; b = b->next)
        n = copy_buffer(recs, n, b);
    for (M *m = ld_acq(&sched.allm); m; m = m->alllink)
        if (m->trace_buf && n + TRACE_BUF_RECS <= cap)
            n = copy_buffer(recs, n, m->trace_buf);
    if (trace.other_buf && n + TRACE_BUF_RECS <= cap)
        n = copy_buffer(recs, n, trace.other_buf);
    int64_t from = trace.dropped_until;
    unlock_trace();
    size_t kept = 0;   /* only the complete part: after the last event dropped */
    for (size_t i = 0; i < n; i++)
        if (recs[i].r.ts > from)
            recs[kept++] = recs[i];
    n = kept;
    qsort(recs, n, sizeof *recs, by_time);
    trace.ns_per_tick = clock_rate_now();   /* a window's own map, from the start to now */
    json_out *o = malloc(sizeof *o);
    if (!o) {
        free(recs);
        return -ENOMEM;
    }
    out_open(o, fd);
    for (size_t i = 0; i < n; i++)
        out_record(o, &recs[i].r);
    out_close(o, "flight", lost);
    int err = o->err;
    free(o);
    free(recs);
    return err ? -err : 0;
}

int gort_flight_recorder_write(int fd)
{
    NOTE_THREAD();
    if (fd < 0)
        return -EBADF;
    pthread_mutex_lock(&trace.ctl);
    int r = trace.mode == TRACE_FLIGHT ? write_window_locked(fd) : -EINVAL;
    pthread_mutex_unlock(&trace.ctl);
    return r;
}

/* ---- the process's end ---------------------------------------------------- */

static bool env_trace;   /* GORT_TRACE started the stream: close its file at the end */

/* exit(): a stream trace is finished, so the file is whole JSON. */
static void at_exit(void)
{
    pthread_mutex_lock(&trace.ctl);
    if (trace.mode == TRACE_STREAM) {
        int fd = trace.fd;
        stop_locked();
        if (env_trace)
            close(fd);
    }
    pthread_mutex_unlock(&trace.ctl);
}

/* A fatal error or deadlock report, the world frozen: the stream is
 * finished; the flight recorder's window is written to a file.  Skipped
 * when the fatal error came from inside the tracer, or while another
 * thread starts or stops it.  Other runtime locks may be held (a deadlock
 * is found under sched.lock): the tracer takes only its own, the highest
 * rank. */
void trace_at_fatal(void)
{
    M *self = gort__getm();
    if (holding_trace_lock || (self && (ld_rlx(&self->trace_seq) & 1)) || pthread_mutex_trylock(&trace.ctl) != 0)
        return;
    if (trace.mode == TRACE_STREAM) {
        stop_locked();
    } else if (trace.mode == TRACE_FLIGHT) {
        char path[4096];
        const char *want = getenv("GORT_FLIGHT_FILE");
        if (want && *want)
            snprintf(path, sizeof path, "%s", want);
        else
            snprintf(path, sizeof path, "gort-flight-%d.json", (int)getpid());
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        char msg[4300];
        int len;
        if (fd < 0) {
            len = snprintf(msg, sizeof msg, "gort: flight recorder: cannot create %s: %s\n", path, strerror(errno));
        } else {
            quiesce();   /* the window is final: no thread records into it */
            int r = write_window_locked(fd);
            close(fd);
            len = r == 0 ? snprintf(msg, sizeof msg, "gort: flight recorder: the last moments' trace is in %s\n", path)
                         : snprintf(msg, sizeof msg, "gort: flight recorder: writing %s failed: %s\n", path,
                                    strerror(-r));
        }
        if (len > 0)
            gort__write_all(2, msg, (size_t)len < sizeof msg ? (size_t)len : sizeof msg - 1);
    }
    pthread_mutex_unlock(&trace.ctl);
}

/* GORT_TRACE=FILE: the whole run is traced into FILE (at start-up, after
 * the scheduler is up). */
void trace_init_from_env(void)
{
    const char *path = getenv("GORT_TRACE");
    if (!path || !*path)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        char msg[4300];
        int len = snprintf(msg, sizeof msg, "gort: GORT_TRACE=%s: cannot create the file: %s; not tracing\n",
                           path, strerror(errno));
        gort__write_all(2, msg, (size_t)len < sizeof msg ? (size_t)len : sizeof msg - 1);
        return;
    }
    pthread_mutex_lock(&trace.ctl);
    int r = start_locked(TRACE_STREAM, fd, 0);
    if (r == 0)
        env_trace = true;
    pthread_mutex_unlock(&trace.ctl);
    if (r != 0) {
        close(fd);
        char msg[200];
        int len = snprintf(msg, sizeof msg, "gort: GORT_TRACE: cannot start the trace: %s\n", strerror(-r));
        gort__write_all(2, msg, (size_t)len);
    }
}

/* ---- test interface (conformance/internal) ---- */

/* The trace buffers mapped now: a running trace or flight recorder keeps
 * some; its stop unmaps them all.  For the white-box tests
 * (conformance/internal/trace_stop_unmaps_buffers.c); the runtime never
 * calls this. */
int trace_test_buffers_mapped(void)
{
    return ld_rlx(&trace.nbufs);
}
