// A context made under a parent that has already ended is ended at once
// with the parent's err and cause: after cancel_cause(p, 1701), new
// with_cancel, with_cancel_cause and with_timeout_cause(10 s, 1702)
// children, and a with_cancel child of a value context below p, are done
// when their constructor returns, with err GORT_CANCELED and cause 1701 (not
// their own); under a parent ended by its deadline timer (cause 1703), a
// new child gets GORT_DEADLINE_EXCEEDED and 1703.
#include "check.h"

static int key;

static void check_ended(gort_ctx *c, int err, int cause, const char *what)
{
    bool ok = true;
    CHECK_MSG(gort_chan_try_recv(gort_ctx_done(c), NULL, &ok) && !ok, "%s: done not closed", what);
    CHECK_MSG(gort_ctx_err(c) == err, "%s: err %d, want %d", what, gort_ctx_err(c), err);
    CHECK_MSG(gort_ctx_cause(c) == cause, "%s: cause %d, want %d", what, gort_ctx_cause(c), cause);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *p = gort_ctx_with_cancel_cause(gort_ctx_background());
    gort_ctx *v = gort_ctx_with_value(p, &key, NULL);
    gort_ctx_cancel_cause(p, 1701);
    gort_ctx *a = gort_ctx_with_cancel(p);
    gort_ctx *b = gort_ctx_with_cancel_cause(p);
    gort_ctx *t = gort_ctx_with_timeout_cause(p, MS(10000), 1702);
    gort_ctx *d = gort_ctx_with_cancel(v);
    check_ended(a, GORT_CANCELED, 1701, "with_cancel");
    check_ended(b, GORT_CANCELED, 1701, "with_cancel_cause");
    check_ended(t, GORT_CANCELED, 1701, "with_timeout_cause");
    check_ended(d, GORT_CANCELED, 1701, "with_cancel under a value context");
    gort_ctx_unref(d);
    gort_ctx_unref(t);
    gort_ctx_unref(b);
    gort_ctx_unref(a);
    gort_ctx_unref(v);
    gort_ctx_unref(p);

    p = gort_ctx_with_timeout_cause(gort_ctx_background(), MS(5), 1703);
    CHECK(!gort_chan_recv(gort_ctx_done(p), NULL));
    gort_ctx *k = gort_ctx_with_cancel_cause(p);
    check_ended(k, GORT_DEADLINE_EXCEEDED, 1703, "child of a timed-out parent");
    gort_ctx_unref(k);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
