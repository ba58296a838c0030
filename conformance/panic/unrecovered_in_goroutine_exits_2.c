// An unrecovered panic in a non-main goroutine ends the whole process with
// status 2 while other goroutines are running (printers writing to stdout
// without pause, busy spinners) and parked (channel, WaitGroup, sleep).  The
// program runs in a forked child with stdout and stderr on one pipe, so the
// order is known: the panicking goroutine's deferred calls ran first (LIFO;
// they write markers to stderr), then comes Go's report — the line
// `panic: unrecovered boom 99`, `goroutine N [running]:` with the panicking
// goroutine's own id, and `created by .../unrecovered_in_goroutine_exits_2.c:L`
// with the line of its gort_go — and the report is the end of the output:
// nothing any other goroutine printed comes after it (as in Go, where the
// panicking goroutine stops the world before it prints).
#include "exit/run_child.h"

#define PRINTERS 4
#define BUSY 2

struct shared {
    uint64_t panicker_id;
    int panicker_line;
    _Atomic long ticks;
};
static struct shared *sh;

static gort_waitgroup never;
static gort_chan *never_ch;

static void say(const char *s) { check_write_all_(2, s, strlen(s)); }

static void printer(void *arg)
{
    intptr_t k = (intptr_t)arg;
    char line[64];
    for (long i = 0;; i++) {
        int n = snprintf(line, sizeof line, "tick %d %ld\n", (int)k, i);
        check_write_all_(1, line, (size_t)n);
        atomic_fetch_add(&sh->ticks, 1);
        gort_yield();
    }
}

static void busy(void *arg)
{
    (void)arg;
    for (;;) {
        spin_ns(US(5));
        gort_yield();
    }
}

static void parked_chan(void *arg) { (void)arg; gort_chan_recv(never_ch, NULL); }
static void parked_wg(void *arg) { (void)arg; gort_wg_wait(&never); }
static void parked_sleep(void *arg) { (void)arg; gort_sleep(MS(60000)); }

static void d1(void *arg) { (void)arg; say("deferred 1 ran\n"); }
static void d2(void *arg) { (void)arg; say("deferred 2 ran\n"); }

static void panicker(void *arg)
{
    (void)arg;
    gort_defer(d1, NULL);
    gort_defer(d2, NULL);
    /* the printers are going: wait until they have printed a good deal */
    int64_t until = now_ns() + MS(2000);
    while (atomic_load(&sh->ticks) < 2000 && now_ns() < until) gort_sleep(US(200));
    gort_panic("unrecovered boom %d", 99);
}

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    never_ch = gort_chan_make(0, 0);
    gort_wg_add(&never, 1);
    for (intptr_t i = 0; i < PRINTERS; i++) go(printer, (void *)i);
    for (int i = 0; i < BUSY; i++) go(busy, NULL);
    go(parked_chan, NULL);
    go(parked_wg, NULL);
    go(parked_sleep, NULL);
    sh->panicker_line = __LINE__ + 1;
    sh->panicker_id = go(panicker, NULL);
    gort_sleep(MS(10000));
    say("main: still alive 10 s after the panic\n");
    return 0;
}

int main(void)
{
    sh = shared_mem(sizeof *sh);
    child_out co = run_child(child_main, CHILD_MERGE, MS(20000));
    const char *out = co.out;

    CHILD_CHECK(&co, !co.timed_out);
    CHILD_CHECK(&co, child_exit_status(&co) == 2);

    char want[128];
    snprintf(want, sizeof want, "\npanic: unrecovered boom 99\n");
    const char *report = strstr(out, want);
    CHILD_CHECK(&co, report != NULL);
    report++;                                   /* start of the panic line */

    /* the deferred calls ran, LIFO, before the report */
    const char *m2 = strstr(out, "deferred 2 ran\n");
    const char *m1 = strstr(out, "deferred 1 ran\n");
    CHILD_CHECK(&co, m2 != NULL && m1 != NULL);
    CHILD_CHECK(&co, m2 < m1);
    CHILD_CHECK(&co, m1 < report);

    /* the goroutine's header with its own id, after the panic line */
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [running]:", (unsigned long long)sh->panicker_id);
    const char *h = strstr(report, head);
    if (!h) CHILD_FAIL(&co, "no \"%s\" after the panic line", head);
    CHILD_CHECK(&co, strstr(report, "goroutine 1 [") == NULL || strstr(report, "goroutine 1 [") > h);

    /* created by this file at the line of the go() call */
    const char *cb = strstr(h, "created by ");
    CHILD_CHECK(&co, cb != NULL);
    if (!has_site(cb, "unrecovered_in_goroutine_exits_2.c", sh->panicker_line))
        CHILD_FAIL(&co, "no \"created by ...unrecovered_in_goroutine_exits_2.c:%d\"", sh->panicker_line);

    /* the printers were printing, and nothing of theirs comes after the report */
    CHILD_CHECK(&co, strstr(out, "tick ") != NULL && strstr(out, "tick ") < report);
    const char *late = strstr(report, "tick ");
    if (late) CHILD_FAIL(&co, "a goroutine printed after the panic report: \"%.40s\"", late);
    CHILD_CHECK(&co, strstr(out, "still alive") == NULL);
    free(co.out);
    free(co.err);
    return 0;
}
