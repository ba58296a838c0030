// Ports of Go's TestRecoverBeforePanicAfterGoexit and
// TestRecoverBeforePanicAfterGoexit2 (runtime/defer_test.go), in a goroutine:
//   1. defer a call that recovers, defer a call that panics "hello", call
//      gort_exit: gort_exit runs the panicking call; its panic is recovered
//      by the first deferred call (gort_recover returns "hello"), and the
//      goroutine then ends normally — as if the gort_exit never happened,
//      with nothing after the gort_exit call run.
//   2. the same after two no-op deferred calls, with two recovering calls:
//      the innermost (registered last, run first) gets "hello", the outer
//      one NULL (the panic is over); the no-op calls run after them.
// Every deferred call runs exactly once, on the goroutine; the program goes
// on (a later goroutine panics and recovers normally).  The scenario runs in
// a forked child whose stderr the parent reads: exit 0, no "panic" printed.
#include "check.h"

#include <sys/wait.h>

static gort_waitgroup wg;
static char got[2][2][64];          /* [scenario][recovering call] */
static char trace[2][16];
static _Atomic int tn[2];
static _Atomic int after_goexit;
static _Atomic uint64_t gids[2][8];

static void note(int s, char c)
{
    int i = atomic_fetch_add(&tn[s], 1);
    if (i < 8) atomic_store(&gids[s][i], gort_id());
    if (i < 15) trace[s][i] = c;
}

/* arg: scenario * 2 + which recovering call (0: innermost, 1: outer) */
static void rec(void *arg)
{
    intptr_t k = (intptr_t)arg;
    const char *m = gort_recover();
    snprintf(got[k / 2][k % 2], sizeof got[0][0], "%s", m ? m : "(null)");
    note((int)(k / 2), k % 2 ? 'R' : 'r');
}

static void panics(void *arg)
{
    note((int)(intptr_t)arg, 'p');
    gort_panic("hello");
}

static void noop(void *arg) { note((int)(intptr_t)arg, 'n'); }
static void fin(void *arg) { note((int)(intptr_t)arg, 'f'); gort_wg_done(&wg); }

static volatile int never;

static void g1(void *arg)
{
    (void)arg;
    gort_defer(fin, (void *)0);
    gort_defer(rec, (void *)0);        /* scenario 0, innermost (only) */
    gort_defer(panics, (void *)0);
    if (!never) gort_exit();
    atomic_store(&after_goexit, 1);
}

static void g2(void *arg)
{
    (void)arg;
    gort_defer(fin, (void *)1);
    for (int i = 0; i < 2; i++) gort_defer(noop, (void *)1);
    gort_defer(rec, (void *)3);        /* scenario 1, outer: runs second */
    gort_defer(rec, (void *)2);        /* scenario 1, innermost: runs first */
    gort_defer(panics, (void *)1);
    if (!never) gort_exit();
    atomic_store(&after_goexit, 1);
}

static char later[64];
static void later_rec(void *arg) { (void)arg; const char *m = gort_recover(); snprintf(later, sizeof later, "%s", m ? m : "(null)"); gort_wg_done(&wg); }
static void later_panic(void *arg) { (void)arg; gort_defer(later_rec, NULL); gort_panic("later"); }

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    uint64_t id[2];
    gort_wg_add(&wg, 1);
    id[0] = go(g1, NULL);
    gort_wg_wait(&wg);
    gort_wg_add(&wg, 1);
    id[1] = go(g2, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);

    CHECK_MSG(strcmp(got[0][0], "hello") == 0, "1: the recovering call got \"%s\", want \"hello\"", got[0][0]);
    CHECK_MSG(strcmp(trace[0], "prf") == 0, "1: deferred calls ran \"%s\", want \"prf\"", trace[0]);
    CHECK_MSG(strcmp(got[1][0], "hello") == 0, "2: the innermost recovering call got \"%s\", want \"hello\"", got[1][0]);
    CHECK_MSG(strcmp(got[1][1], "(null)") == 0, "2: the outer recovering call got \"%s\", want NULL", got[1][1]);
    CHECK_MSG(strcmp(trace[1], "prRnnf") == 0, "2: deferred calls ran \"%s\", want \"prRnnf\"", trace[1]);
    CHECK_EQ_INT(atomic_load(&after_goexit), 0);
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < atomic_load(&tn[s]) && i < 8; i++) CHECK_EQ_U64(atomic_load(&gids[s][i]), id[s]);

    gort_wg_add(&wg, 1);
    go(later_panic, NULL);
    gort_wg_wait(&wg);
    CHECK_MSG(strcmp(later, "later") == 0, "a later panic recovered \"%s\"", later);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
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
