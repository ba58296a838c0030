/*
 * env.c — configuration from the environment, read once at start-up.
 *
 *   GOMAXPROCS      processors; like Go, anything but a positive integer
 *                   is ignored (the default is used: the CPU count
 *                   lowered to the cgroup CPU limit, cgroup.c, and
 *                   followed while it changes), values above MAX_PROCS
 *                   are clamped.
 *   GORT_STACK_SIZE default goroutine stack reservation in bytes (suffix
 *                   k/K, m/M or g/G allowed); at least one page and at most
 *                   1 GiB; anything else is reported and ignored.
 *   GORT_MAX_THREADS the most OS threads the runtime may create (default
 *                   10,000, Go's debug.SetMaxThreads), 2 to 1,000,000.
 *   GORT_ASYNCPREEMPT 0 turns off the preemption signal (Go's
 *                   GODEBUG=asyncpreemptoff=1); requests to yield at gort
 *                   calls remain.  Anything else leaves it on.
 *   GORT_PREEMPT_AFTER_US how long, in microseconds, a goroutine may run
 *                   without a switch before it is asked to give way
 *                   (default 10,000, Go's 10 ms; 100 to 10,000,000).
 *
 * The tracer's variables (GORT_TRACE, GORT_TRACE_CLOCK, GORT_FLIGHT_FILE)
 * are read by trace.c when a trace starts or a recorder's window is due.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

config gort__config;

#define DEFAULT_STACK_SIZE ((size_t)64 << 10)
#define DEFAULT_PREEMPT_AFTER_US 10000

static bool parse_positive(const char *s, long long *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0)
        return false;
    *out = v;
    return true;
}

static bool parse_size(const char *s, size_t *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-')
        return false;
    unsigned long long mult = 1;
    switch (*end) {
    case 'k': case 'K': mult = 1ull << 10; end++; break;
    case 'm': case 'M': mult = 1ull << 20; end++; break;
    case 'g': case 'G': mult = 1ull << 30; end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B')
        end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
    if (*end || v == 0 || v > (1ull << 30) / mult)
        return false;
    *out = (size_t)(v * mult);
    return true;
}

void config_init(void)
{
    long long procs;
    gort__config.gomaxprocs_explicit = parse_positive(getenv("GOMAXPROCS"), &procs);
    gort__config.gomaxprocs = gort__config.gomaxprocs_explicit
                                  ? (procs > MAX_PROCS ? MAX_PROCS : (int)procs)
                                  : default_gomaxprocs();

    long long threads;
    gort__config.max_threads = 10000;
    const char *mt = getenv("GORT_MAX_THREADS");
    if (mt && *mt) {
        if (parse_positive(mt, &threads) && threads >= 2 && threads <= 1000000)
            gort__config.max_threads = (int)threads;
        else
            fprintf(stderr, "gort: ignoring GORT_MAX_THREADS=%s: want a number from 2 to 1000000; "
                            "using 10000\n", mt);
    }

    const char *ap = getenv("GORT_ASYNCPREEMPT");
    gort__config.async_preempt = !(ap && strcmp(ap, "0") == 0);

    long long slice;
    gort__config.preempt_after_ns = DEFAULT_PREEMPT_AFTER_US * 1000LL;
    const char *pa = getenv("GORT_PREEMPT_AFTER_US");
    if (pa && *pa) {
        if (parse_positive(pa, &slice) && slice >= 100 && slice <= 10000000)
            gort__config.preempt_after_ns = slice * 1000LL;
        else
            fprintf(stderr, "gort: ignoring GORT_PREEMPT_AFTER_US=%s: want microseconds from 100 "
                            "to 10000000; using %d\n", pa, DEFAULT_PREEMPT_AFTER_US);
    }

    gort__config.stack_size = DEFAULT_STACK_SIZE;
    const char *ss = getenv("GORT_STACK_SIZE");
    if (ss && *ss) {
        size_t v;
        long page = sysconf(_SC_PAGESIZE);
        if (parse_size(ss, &v) && v >= (size_t)page)
            gort__config.stack_size = (v + (size_t)page - 1) / (size_t)page * (size_t)page;
        else
            fprintf(stderr,
                    "gort: ignoring GORT_STACK_SIZE=%s: want a size in bytes between %ld and "
                    "1073741824 (suffix k, m or g allowed); using %zu\n",
                    ss, page, DEFAULT_STACK_SIZE);
    }
}
