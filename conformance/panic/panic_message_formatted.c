// gort_panic formats its message as printf does: gort_panic("x=%d", 42) is
// the panic "x=42" — what gort_recover returns, and what the report prints
// unrecovered (`panic: x=42`).  Conversions of every common kind are applied,
// a '%' in an argument is not re-interpreted, and a long message (4,000
// characters) is neither truncated when recovered nor in the report, which
// prints the whole message on its `panic: ` line as Go prints the whole
// value.  The unrecovered cases run in forked children.
#include "exit/run_child.h"

#define LONG_LEN 4000

static char long_msg[LONG_LEN + 1];
static char got[3][LONG_LEN + 64];
static gort_waitgroup wg;

static void rec(void *arg)
{
    char *out = arg;
    const char *m = gort_recover();
    snprintf(out, LONG_LEN + 64, "%s", m ? m : "(no panic)");
    gort_wg_done(&wg);
}

static void p_simple(void *arg) { gort_defer(rec, arg); gort_panic("x=%d", 42); }
static void p_kinds(void *arg)
{
    gort_defer(rec, arg);
    gort_panic("%s|%5.2f|%c|%%|%llu|%x|%s", "str", 3.14159, 'z', (unsigned long long)UINT64_MAX, 255u,
               "100% sure");
}
static void p_long(void *arg) { gort_defer(rec, arg); gort_panic("long:%s:end", long_msg); }

static int unrecovered_simple(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_panic("x=%d", 42);
}

static int unrecovered_long(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_panic("long:%s:end", long_msg);
}

static int recovered_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 3);
    go(p_simple, got[0]);
    go(p_kinds, got[1]);
    go(p_long, got[2]);
    gort_wg_wait(&wg);
    CHECK_MSG(strcmp(got[0], "x=42") == 0, "recovered \"%s\"", got[0]);
    CHECK_MSG(strcmp(got[1], "str| 3.14|z|%|18446744073709551615|ff|100% sure") == 0, "recovered \"%s\"",
              got[1]);
    CHECK_EQ_INT(strlen(got[2]), LONG_LEN + 9);
    CHECK(strncmp(got[2], "long:", 5) == 0);
    CHECK(strncmp(got[2] + 5, long_msg, LONG_LEN) == 0);
    CHECK(strcmp(got[2] + 5 + LONG_LEN, ":end") == 0);
    return 0;
}

int main(void)
{
    for (int i = 0; i < LONG_LEN; i++) long_msg[i] = (char)('a' + i % 26);

    child_out co = run_child(recovered_main, 0, MS(15000));
    if (child_exit_status(&co) != 0) CHILD_FAIL(&co, "recovered cases: want exit status 0");
    free(co.out);
    free(co.err);

    co = run_child(unrecovered_simple, 0, MS(15000));
    if (child_exit_status(&co) != 2) CHILD_FAIL(&co, "unrecovered x=42: want exit status 2");
    if (strncmp(co.err, "panic: x=42\n", 12) != 0 && !strstr(co.err, "\npanic: x=42\n"))
        CHILD_FAIL(&co, "no line \"panic: x=42\"");
    free(co.out);
    free(co.err);

    co = run_child(unrecovered_long, 0, MS(15000));
    if (child_exit_status(&co) != 2) CHILD_FAIL(&co, "unrecovered long: want exit status 2");
    static char line[LONG_LEN + 64];
    snprintf(line, sizeof line, "panic: long:%s:end\n", long_msg);
    const char *p = strstr(co.err, line);
    if (!p || (p != co.err && p[-1] != '\n')) {
        const char *q = strstr(co.err, "panic: long:");
        size_t printed = 0;
        if (q) while (q[12 + printed] && q[12 + printed] == long_msg[printed % LONG_LEN] && printed < LONG_LEN) printed++;
        CHILD_FAIL(&co, "the report does not print the whole %d-character message on its panic line "
                   "(%zu characters of it printed before it stops or differs)", LONG_LEN + 9, printed + 5);
    }
    free(co.out);
    free(co.err);
    return 0;
}
