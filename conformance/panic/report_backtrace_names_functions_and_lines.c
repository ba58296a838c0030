// An unrecovered panic's report shows the panicking goroutine's stack as Go
// does: after `goroutine N [running]:` come the frames from the public call
// that panicked (gort_panic) down to the goroutine's function, each as
// `FUNCTION(...)` and a tab-indented `FILE:LINE +0xOFFSET` line naming the
// line of the call, then `created by FILE:LINE`.  The runtime's own frames
// above gort_panic (the report's machinery) and below the goroutine's
// function (its entry) are not shown.  Without libdw (no line information)
// the functions are still named, from the dynamic symbol table.
#include "exit/run_child.h"

struct lines { int panic_line, call3_line, call2_line, go_line; uint64_t id; };
static struct lines *ln;

/* Not static and not inlined: each must be a frame of its own, and the
 * dynamic symbol table (-rdynamic) must name it even without libdw. */
__attribute__((noinline)) void bt_level3(int depth)
{
    ln->panic_line = __LINE__ + 1;
    gort_panic("deep panic at depth %d", depth);
}

__attribute__((noinline)) void bt_level2(int depth)
{
    ln->call3_line = __LINE__ + 1;
    bt_level3(depth + 1);
    __asm__ volatile("");   /* no tail call: this frame stays */
}

void bt_level1(void *arg)
{
    (void)arg;
    ln->call2_line = __LINE__ + 1;
    bt_level2(2);
    __asm__ volatile("");
}

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    ln->go_line = __LINE__ + 1;
    ln->id = go(bt_level1, NULL);
    gort_sleep(MS(10000));
    return 0;
}

/* The position of "FUNC(...)\n\t" in s, or NULL. */
static const char *frame_of(const char *s, const char *func)
{
    char want[96];
    snprintf(want, sizeof want, "\n%s(...)\n\t", func);
    const char *p = strstr(s, want);
    return p ? p + 1 : NULL;
}

/* The frame's location line must be this file at `line`. */
static CHECK_UNUSED void check_frame_line(const child_out *co, const char *frame, int line)
{
    const char *loc = strchr(frame, '\t');
    const char *eol = loc ? strchr(loc, '\n') : NULL;
    CHECK_MSG(loc && eol, "frame without a location line:\n%s", co->err);
    char got[256], want[128];
    snprintf(got, sizeof got, "%.*s", (int)(eol - loc), loc);
    snprintf(want, sizeof want, "/report_backtrace_names_functions_and_lines.c:%d +0x", line);
    CHECK_MSG(strstr(got, want) != NULL, "frame location \"%s\" does not name line %d:\n%s",
              got, line, co->err);
}

int main(void)
{
    ln = shared_mem(sizeof *ln);
    child_out co = run_child(child_main, 0, MS(20000));
    CHILD_CHECK(&co, !co.timed_out);
    CHILD_CHECK(&co, child_exit_status(&co) == 2);
    const char *err = co.err;

    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [running]:\n", (unsigned long long)ln->id);
    const char *h = strstr(err, "panic: deep panic at depth 3\n");
    CHILD_CHECK(&co, h != NULL);
    h = strstr(h, head);
    CHILD_CHECK(&co, h != NULL);
    const char *body = h + strlen(head);

    /* the first frame is the public call that panicked */
    CHECK_MSG(strncmp(body, "gort_panic(...)\n\t", 17) == 0,
              "the report does not start at gort_panic:\n%s", err);
    const char *f3 = frame_of(h, "bt_level3");
    const char *f2 = frame_of(h, "bt_level2");
    const char *f1 = frame_of(h, "bt_level1");
    CHECK_MSG(f3 && f2 && f1, "missing frames:\n%s", err);
    CHECK_MSG(f3 < f2 && f2 < f1, "frames out of order:\n%s", err);

    const char *created = strstr(h, "created by ");
    CHECK_MSG(created && created > f1, "no `created by` after the frames:\n%s", err);
    char site[96];
    snprintf(site, sizeof site, "report_backtrace_names_functions_and_lines.c:%d", ln->go_line);
    CHECK_STR_CONTAINS(created, site);

    /* nothing of the runtime's machinery or entry */
    CHECK_MSG(!strstr(h, "goroutine_entry") && !strstr(h, "report_current") &&
              !strstr(h, "tb_self") && !strstr(h, "gort_ctx_trampoline"),
              "runtime-internal frames shown:\n%s", err);

#ifdef GORT_TEST_HAVE_LINES
    check_frame_line(&co, f3, ln->panic_line);
    check_frame_line(&co, f2, ln->call3_line);
    check_frame_line(&co, f1, ln->call2_line);
#else
    NOTE("built without libdw: function names checked, FILE:LINE not\n");
#endif
    free(co.out);
    free(co.err);
    return 0;
}
