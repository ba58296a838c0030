// gort_exit called from a deferred call while a panic unwinds ends that
// panic (Go's TestGoexitInPanic, defer_test.go/crash_test.go, and Goexit's
// rule that recover returns nil in the deferred calls it runs): the
// remaining deferred calls run as for gort_exit — each exactly once, LIFO,
// on that goroutine — gort_recover returns NULL in them, no panic is
// reported, the goroutine ends and the program goes on.
//   1. a goroutine defers `record` (runs last), then `goexit` (which calls
//      gort_exit), then panics "hello": `record`'s gort_recover() is NULL;
//      nothing after the gort_panic or after the gort_exit runs.
//   2. the same without any recovering call, with two deferred calls left
//      after the one that calls gort_exit: both run (LIFO), no panic.
//   3. the panic starts inside a deferred call that gort_exit is running
//      (Goexit, then a panic in its deferred call, then a Goexit in the
//      panic's deferred call): the earlier deferred call still sees NULL.
// Afterwards fresh goroutines (which may reuse the ended one's descriptor)
// see gort_recover() == NULL in their deferred calls, and a new panic is
// recovered normally.  The scenario runs in a forked child whose stderr the
// parent reads: the child must exit 0 with no "panic" on its stderr.
#include "check.h"

#include <sys/wait.h>

static gort_waitgroup wg;
static char trace[3][64];          /* per scenario: the deferred calls, in order */
static _Atomic int tn[3];
static _Atomic int recover_null[3] = { -1, -1, -1 };
static _Atomic int after_panic, after_goexit;

static void note(int s, char c)
{
    int i = atomic_fetch_add(&tn[s], 1);
    if (i < 63) trace[s][i] = c;
}

static void record(void *arg)
{
    intptr_t s = (intptr_t)arg;
    const char *m = gort_recover();
    atomic_store(&recover_null[s], m == NULL);
    if (m) check_fdprintf(2, "scenario %d: gort_recover() returned \"%s\" after gort_exit\n", (int)s + 1, m);
    note((int)s, 'r');
    gort_wg_done(&wg);
}

static void plain_a(void *arg) { note((int)(intptr_t)arg, 'a'); gort_wg_done(&wg); }
static void plain_b(void *arg) { note((int)(intptr_t)arg, 'b'); }

static void goexit(void *arg)
{
    note((int)(intptr_t)arg, 'x');
    gort_exit();
    atomic_store(&after_goexit, 1);
}

static volatile int never;

/* 1 */
static void g1(void *arg)
{
    (void)arg;
    gort_defer(record, (void *)0);
    gort_defer(goexit, (void *)0);
    if (!never) gort_panic("hello");
    atomic_store(&after_panic, 1);
}

/* 2 */
static void g2(void *arg)
{
    (void)arg;
    gort_defer(plain_a, (void *)1);
    gort_defer(plain_b, (void *)1);
    gort_defer(goexit, (void *)1);
    if (!never) gort_panic("hello again");
    atomic_store(&after_panic, 1);
}

/* 3: Goexit -> deferred panic -> deferred Goexit */
static void panics(void *arg)
{
    note((int)(intptr_t)arg, 'p');
    gort_defer(goexit, arg);           /* a defer inside a deferred call */
    if (!never) gort_panic("in a deferred call");
}
static void g3(void *arg)
{
    (void)arg;
    gort_defer(record, (void *)2);
    gort_defer(panics, (void *)2);
    gort_exit();
    atomic_store(&after_goexit, 1);
}

static _Atomic int later_null = 0;
static gort_waitgroup later_wg;
static void later_rec(void *arg) { (void)arg; if (gort_recover() == NULL) atomic_fetch_add(&later_null, 1); gort_wg_done(&later_wg); }
static void later(void *arg) { (void)arg; gort_defer(later_rec, NULL); }

static char recovered[64];
static void rec_panic(void *arg) { (void)arg; const char *m = gort_recover(); snprintf(recovered, sizeof recovered, "%s", m ? m : "(null)"); gort_wg_done(&later_wg); }
static void panics_again(void *arg) { (void)arg; gort_defer(rec_panic, NULL); gort_panic("later panic"); }

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    void (*fns[3])(void *) = { g1, g2, g3 };
    int ndone[3] = { 1, 1, 1 };
    const char *want[3] = { "xr", "xba", "pxr" };
    for (int s = 0; s < 3; s++) {
        gort_wg_add(&wg, ndone[s]);
        go(fns[s], NULL);
        gort_wg_wait(&wg);
        CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);   /* it ended */
        CHECK_MSG(strcmp(trace[s], want[s]) == 0, "scenario %d: deferred calls ran \"%s\", want \"%s\"", s + 1,
                  trace[s], want[s]);
    }
    int null1 = atomic_load(&recover_null[0]), null3 = atomic_load(&recover_null[2]);
    CHECK_MSG(null1 == 1, "scenario 1: gort_recover() in a deferred call run after gort_exit was not NULL");
    CHECK_MSG(null3 == 1, "scenario 3: gort_recover() in a deferred call run after gort_exit was not NULL");
    CHECK_MSG(atomic_load(&after_panic) == 0, "the statement after a gort_panic ran");
    CHECK_MSG(atomic_load(&after_goexit) == 0, "the statement after a gort_exit ran");

    /* the program goes on: fresh goroutines, a normal panic and recovery */
    gort_wg_add(&later_wg, 17);
    for (int i = 0; i < 16; i++) go(later, NULL);
    go(panics_again, NULL);
    gort_wg_wait(&later_wg);
    CHECK_EQ_INT(atomic_load(&later_null), 16);
    CHECK_MSG(strcmp(recovered, "later panic") == 0, "recovered \"%s\"", recovered);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    printf("child done\n");
    return 0;
}

int main(void)
{
    static char err[65536];
    int st = run_gort_main_child(child_main, err, sizeof err);
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status 0x%x, want exit 0; its stderr:\n%s", st, err);
    CHECK_MSG(strstr(err, "panic") == NULL, "the child's stderr mentions a panic:\n%s", err);
    return 0;
}
