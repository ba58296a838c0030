// The deadline timer of gort_ctx_with_timeout_cause and
// gort_ctx_with_deadline_cause ends the context with err
// GORT_DEADLINE_EXCEEDED and the constructor's cause: a 30 ms timeout with
// cause 601 and a deadline 30 ms away with cause 602 end (done closes) no
// earlier than their deadline and within 10 s, with those causes; a value
// context below reports the same; a plain with_timeout's cause is
// GORT_DEADLINE_EXCEEDED.
#include "check.h"

static int key;

static void check_ends(gort_ctx *c, int64_t deadline, int want_cause, const char *what)
{
    gort_chan *t = gort_after(MS(10000));
    gort_case cs[2] = { { GORT_RECV, gort_ctx_done(c), NULL, false }, { GORT_RECV, t, NULL, false } };
    int r = gort_select(cs, 2, true);
    gort_chan_unref(t);
    CHECK_MSG(r == 0, "%s: not done 10 s after its deadline", what);
    CHECK_MSG(gort_now() >= deadline, "%s: done %lld ns before its deadline", what,
              (long long)(deadline - gort_now()));
    CHECK_MSG(gort_ctx_err(c) == GORT_DEADLINE_EXCEEDED, "%s: err %d", what, gort_ctx_err(c));
    CHECK_MSG(gort_ctx_cause(c) == want_cause, "%s: cause %d, want %d", what, gort_ctx_cause(c), want_cause);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *bg = gort_ctx_background();
    int64_t t0 = gort_now();
    gort_ctx *tc = gort_ctx_with_timeout_cause(bg, MS(30), 601);
    gort_ctx *v = gort_ctx_with_value(tc, &key, NULL);
    gort_ctx *dc = gort_ctx_with_deadline_cause(bg, t0 + MS(30), 602);
    gort_ctx *plain = gort_ctx_with_timeout(bg, MS(30));
    CHECK_EQ_INT(gort_ctx_cause(tc), 0);
    check_ends(tc, t0 + MS(30), 601, "with_timeout_cause");
    CHECK_EQ_INT(gort_ctx_cause(v), 601);
    check_ends(dc, t0 + MS(30), 602, "with_deadline_cause");
    check_ends(plain, t0 + MS(30), GORT_DEADLINE_EXCEEDED, "with_timeout");
    gort_ctx_unref(v);
    gort_ctx_unref(tc);
    gort_ctx_unref(dc);
    gort_ctx_unref(plain);
    return 0;
}

GORT_MAIN(main_fn)
