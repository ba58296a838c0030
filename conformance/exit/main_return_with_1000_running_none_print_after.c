// When main returns, the process ends with main's status at once, and the
// other goroutines do nothing more: nothing they print comes after main's
// last line.  1,000 goroutines loop printing numbered lines to stdout
// (write(2), so no stdio buffer is involved) and yielding; main waits until
// every one has printed, prints `main returning` and returns 7.  Run in a
// forked child with stdout on a pipe, so the parent sees the exact order:
//  - exit status 7, and the whole run within 5 s;
//  - GOMAXPROCS=1: the printers can run only when main lets its processor
//    go, which it no longer does once it has printed: the marker is the very
//    last line;
//  - GOMAXPROCS=2: a printer on the other thread runs concurrently with
//    main's last instants.  Each printer takes a ticket from a counter
//    before it prints; the runtime freezes the world as main returns, and
//    the first atexit handler (registered last, before the marker) reads
//    the counter just after that.  A line that lands after that with a
//    lower ticket was begun before it (fine), and the printer that is past
//    its yield at the freeze may begin one more line — at most 1 line begun
//    after the exit began (one per other thread).  A runtime that lets
//    goroutines run on while the process is exiting prints more (a runtime
//    that calls exit() with the other threads still running goroutines
//    printed 3 to 244 lines begun after the marker in 11 runs out of 100
//    here).  The count is taken at the exit, not at the marker: main's
//    thread may lose its CPU between the two, and the other thread then
//    prints on, legitimately, before the freeze.
// gort-test: timeout=60
#include "exit/run_child.h"

#define PRINTERS 1000
#define MARKER "main returning\n"

struct shared {
    _Atomic uint64_t tickets;
    uint64_t at_marker;                  /* tickets taken when main's marker was out */
    uint64_t at_exit;                    /* tickets taken when exit's first atexit handler ran */
    _Atomic int printed_once;
};
static struct shared *sh;

static void printer(void *arg)
{
    intptr_t k = (intptr_t)arg;
    char line[64];
    bool first = true;
    for (;;) {
        uint64_t t = atomic_fetch_add(&sh->tickets, 1);
        int n = snprintf(line, sizeof line, "g %d t %llu\n", (int)k, (unsigned long long)t);
        check_write_all_(1, line, (size_t)n);
        if (first) {
            first = false;
            atomic_fetch_add(&sh->printed_once, 1);
        }
        gort_yield();
    }
}

/* exit()'s first handler: the runtime froze the world just before exit(). */
static void note_exit_ticket(void) { sh->at_exit = atomic_load(&sh->tickets); }

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (intptr_t i = 0; i < PRINTERS; i++) go(printer, (void *)i);
    int64_t deadline = now_ns() + MS(10000);
    while (atomic_load(&sh->printed_once) < PRINTERS && now_ns() < deadline) gort_sleep(US(500));
    gort_sleep(MS(10));
    CHECK_EQ_INT(atexit(note_exit_ticket), 0);
    check_write_all_(1, MARKER, strlen(MARKER));
    sh->at_marker = atomic_load(&sh->tickets);
    return 7;
}

static void run(const char *procs, bool strict, int max_late)
{
    setenv("GOMAXPROCS", procs, 1);
    memset(sh, 0, sizeof *sh);
    int64_t t0 = now_ns();
    child_out co = run_child(child_main, 0, MS(20000));
    int64_t took = now_ns() - t0;
    CHILD_CHECK(&co, !co.timed_out);
    if (child_exit_status(&co) != 7) CHILD_FAIL(&co, "GOMAXPROCS=%s: want exit status 7", procs);
    if (atomic_load(&sh->printed_once) < PRINTERS)
        CHILD_FAIL(&co, "GOMAXPROCS=%s: only %d printers printed", procs, atomic_load(&sh->printed_once));
    const char *m = strstr(co.out, "\n" MARKER);
    if (!m) CHILD_FAIL(&co, "GOMAXPROCS=%s: no marker line", procs);
    m += 1 + strlen(MARKER);
    if (sh->at_exit < sh->at_marker)
        CHILD_FAIL(&co, "GOMAXPROCS=%s: the atexit handler did not run (exit counter %llu, marker's %llu)",
                   procs, (unsigned long long)sh->at_exit, (unsigned long long)sh->at_marker);
    int after = 0, late = 0;
    for (const char *p = m; *p; ) {
        const char *tp = strncmp(p, "g ", 2) == 0 ? strstr(p, " t ") : NULL;
        if (tp && tp < strchr(p, '\n')) {   /* "g K t TICKET" (strtoull, not sscanf: the output is large) */
            after++;
            if (strtoull(tp + 3, NULL, 10) >= sh->at_exit) late++;
        }
        p = strchr(p, '\n');
        if (!p) break;
        p++;
    }
    if (strict && after > 0)
        CHILD_FAIL(&co, "GOMAXPROCS=%s: %d lines printed after main's last line", procs, after);
    if (late > max_late)
        CHILD_FAIL(&co, "GOMAXPROCS=%s: %d lines begun after the exit began (ticket >= %llu; %llu at "
                   "main's last line) were printed (%d lines after the marker in all)", procs, late,
                   (unsigned long long)sh->at_exit, (unsigned long long)sh->at_marker, after);
    /* the exit must not wait for the printers; Valgrind runs everything ~50x slower */
    int64_t bound = CHECK_VALGRIND ? MS(30000) : MS(5000);
    CHECK_MSG(took < bound, "GOMAXPROCS=%s: the run took %lld ms", procs, (long long)(took / 1000000));
    free(co.out);
    free(co.err);
}

int main(void)
{
    sh = shared_mem(sizeof *sh);
    run("1", true, 0);
    run("2", false, 1);
    return 0;
}
