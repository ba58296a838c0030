// gort_ctx_without_cancel (Go's TestWithoutCancel): the result has the
// parent's values, but no deadline, a NULL done channel, err 0 and cause 0
// — also when the parent has a deadline and after the parent was canceled
// with a cause, or its deadline passed ("WithoutCancel canceled" and
// "WithoutCancel timeout" in Go's TestCause).
#include "check.h"

static int key, other_key;
static char value[] = "value";

static void check_uncancelable(gort_ctx *w, const char *when)
{
    int64_t d = 12345;
    CHECK_MSG(!gort_ctx_deadline(w, &d), "%s: has a deadline", when);
    CHECK_MSG(d == 12345, "%s: deadline written", when);
    CHECK_MSG(gort_ctx_done(w) == NULL, "%s: done channel not NULL", when);
    CHECK_MSG(gort_ctx_err(w) == 0, "%s: err %d", when, gort_ctx_err(w));
    CHECK_MSG(gort_ctx_cause(w) == 0, "%s: cause %d", when, gort_ctx_cause(w));
    CHECK_MSG(gort_ctx_value(w, &key) == value, "%s: parent's value lost", when);
    CHECK_MSG(gort_ctx_value(w, &other_key) == NULL, "%s: value for an unknown key", when);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    /* WithValue(Background) */
    gort_ctx *v = gort_ctx_with_value(gort_ctx_background(), &key, value);
    gort_ctx *w = gort_ctx_without_cancel(v);
    check_uncancelable(w, "over background");
    gort_ctx_unref(w);
    gort_ctx_unref(v);

    /* under a cancelable parent with a deadline, canceled with a cause */
    gort_ctx *p = gort_ctx_with_timeout_cause(gort_ctx_background(), MS(1000000), 1301);
    v = gort_ctx_with_value(p, &key, value);
    w = gort_ctx_without_cancel(v);
    check_uncancelable(w, "parent live");
    gort_ctx_cancel_cause(p, 1302);
    CHECK_EQ_INT(gort_ctx_cause(v), 1302);
    check_uncancelable(w, "parent canceled");
    gort_ctx_unref(w);
    gort_ctx_unref(v);
    gort_ctx_unref(p);

    /* under a parent whose deadline passed */
    p = gort_ctx_with_timeout_cause(gort_ctx_background(), MS(10), 1303);
    v = gort_ctx_with_value(p, &key, value);
    w = gort_ctx_without_cancel(v);
    CHECK(!gort_chan_recv(gort_ctx_done(p), NULL));
    CHECK_EQ_INT(gort_ctx_cause(p), 1303);
    check_uncancelable(w, "parent's deadline passed");
    gort_ctx_unref(w);
    gort_ctx_unref(v);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
