// A panic raised by a deferred call while another panic is in progress, as Go
// does it (each scenario runs in a forked child; its stderr is checked):
//  A. unrecovered nested panics print the chain oldest first, each later one
//     indented with a tab — `panic: first` / `\tpanic: second` /
//     `\tpanic: third` — then `goroutine N [running]:`; exit 2;
//  B. a deferred call that recovers and then panics anew marks the first one
//     `panic: first [recovered]` / `\tpanic: second`; exit 2;
//  C. the second panic recovered by a deferred call registered earlier: that
//     call gets `second`; the first panic, aborted by the second, is over too
//     (a later deferred call's gort_recover returns NULL, as in Go, which
//     drops aborted panics when a later one is recovered); the remaining
//     deferred calls run; no report; the program goes on and exits 0;
//  D. C in the main goroutine: main ends normally, exit 0.
#include "exit/run_child.h"

static void say(const char *s) { check_write_all_(2, s, strlen(s)); }

/* ---- A ---- */
static void d_panic_third(void *arg) { (void)arg; gort_panic("third"); }
static void d_panic_second(void *arg) { (void)arg; gort_panic("second"); }
static void a_body(void *arg)
{
    (void)arg;
    gort_defer(d_panic_third, NULL);
    gort_defer(d_panic_second, NULL);
    gort_panic("first");
}
static int a_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    go(a_body, NULL);
    gort_sleep(MS(10000));
    say("A: still alive\n");
    return 0;
}

/* ---- B ---- */
static void d_recover_then_panic(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    if (!m || strcmp(m, "first") != 0) say("B: did not recover \"first\"\n");
    gort_panic("second");
}
static void b_body(void *arg)
{
    (void)arg;
    gort_defer(d_recover_then_panic, NULL);
    gort_panic("first");
}
static int b_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    go(b_body, NULL);
    gort_sleep(MS(10000));
    say("B: still alive\n");
    return 0;
}

/* ---- C and D ---- */
static char c_log[256];
static void logf_(const char *s) { strncat(c_log, s, sizeof c_log - strlen(c_log) - 1); }
static void d_outer(void *arg) { (void)arg; logf_("outer;"); }
static void d_recover_second(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    logf_("recovered=");
    logf_(m ? m : "(null)");
    logf_(";");
}
static void d_after(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    logf_("after=");
    logf_(m ? m : "(null)");
    logf_(";");
}
static void register_c_defers(void)
{
    gort_defer(d_outer, NULL);
    gort_defer(d_after, NULL);          /* runs after the recovery: nothing left to recover */
    gort_defer(d_recover_second, NULL);
    gort_defer(d_panic_second, NULL);
}
static gort_waitgroup c_done;
static void c_signal(void *arg) { (void)arg; gort_wg_done(&c_done); }
static void c_body(void *arg)
{
    (void)arg;
    gort_defer(c_signal, NULL);
    register_c_defers();
    gort_panic("first");
}
static int c_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&c_done, 1);
    go(c_body, NULL);
    gort_wg_wait(&c_done);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    check_fdprintf(1, "C log: %s\n", c_log);
    return 0;
}
static void d_print_log(void *arg) { (void)arg; check_fdprintf(1, "D log: %s\n", c_log); }
static int d_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_defer(d_print_log, NULL);
    register_c_defers();
    gort_panic("first");
}

static void expect_chain(const char *what, int (*fn)(int, char **), const char *chain)
{
    child_out co = run_child(fn, 0, MS(15000));
    CHILD_CHECK(&co, !co.timed_out);
    if (child_exit_status(&co) != 2) CHILD_FAIL(&co, "%s: want exit status 2", what);
    /* the chain starts a line and is followed by the goroutine's header */
    const char *p = strstr(co.err, chain);
    if (!p || (p != co.err && p[-1] != '\n')) CHILD_FAIL(&co, "%s: no panic chain\n%s", what, chain);
    CHILD_CHECK(&co, strncmp(p + strlen(chain), "\ngoroutine ", 11) == 0);
    CHILD_CHECK(&co, strstr(co.err, "still alive") == NULL);
    CHILD_CHECK(&co, strstr(co.err, "did not recover") == NULL);
    free(co.out);
    free(co.err);
}

static void expect_recovered(const char *what, int (*fn)(int, char **), const char *want_out)
{
    child_out co = run_child(fn, 0, MS(15000));
    CHILD_CHECK(&co, !co.timed_out);
    if (child_exit_status(&co) != 0) CHILD_FAIL(&co, "%s: want exit status 0", what);
    if (strcmp(co.out, want_out) != 0) CHILD_FAIL(&co, "%s: stdout is not \"%s\"", what, want_out);
    if (strstr(co.err, "panic")) CHILD_FAIL(&co, "%s: a panic report on stderr", what);
    free(co.out);
    free(co.err);
}

int main(void)
{
    expect_chain("A", a_main, "panic: first\n\tpanic: second\n\tpanic: third\n");
    expect_chain("B", b_main, "panic: first [recovered]\n\tpanic: second\n");
    expect_recovered("C", c_main, "C log: recovered=second;after=(null);outer;\n");
    expect_recovered("D", d_main, "D log: recovered=second;after=(null);outer;\n");
    return 0;
}
