// A child's deadline is never later than its parent's, and when the
// parent's deadline ends both, the cause is the parent's: under a
// with_timeout_cause(40 ms, 1101) parent, a with_deadline_cause child
// asking for 10 s (cause 1102) reports the parent's deadline, and ends
// with the parent: GORT_DEADLINE_EXCEEDED, cause 1101.  A child with an
// earlier deadline (5 ms, cause 1103) keeps its own, ends first with its
// own cause 1103 while the parent is still live.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *p = gort_ctx_with_timeout_cause(gort_ctx_background(), MS(40), 1101);
    gort_ctx *late = gort_ctx_with_deadline_cause(p, gort_now() + MS(10000), 1102);
    gort_ctx *early = gort_ctx_with_timeout_cause(p, MS(5), 1103);
    int64_t pd = 0, ld = 0, ed = 0;
    CHECK(gort_ctx_deadline(p, &pd));
    CHECK(gort_ctx_deadline(late, &ld));
    CHECK(gort_ctx_deadline(early, &ed));
    CHECK_MSG(ld == pd, "child deadline %lld ns after the parent's", (long long)(ld - pd));
    CHECK_LT_INT(ed, pd);

    gort_chan *t = gort_after(MS(10000));
    gort_case cs[2] = { { GORT_RECV, gort_ctx_done(early), NULL, false }, { GORT_RECV, t, NULL, false } };
    CHECK_MSG(gort_select(cs, 2, true) == 0, "the 5 ms child was not done after 10 s");
    CHECK_EQ_INT(gort_ctx_err(early), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_cause(early), 1103);
    CHECK_MSG(gort_ctx_err(p) == 0 || gort_now() >= pd, "the parent ended %lld ns before its deadline",
              (long long)(pd - gort_now()));

    cs[0].ch = gort_ctx_done(late);
    CHECK_MSG(gort_select(cs, 2, true) == 0, "the capped child was not done 10 s after the parent's deadline");
    gort_chan_unref(t);
    CHECK_GE_INT(gort_now(), pd);
    CHECK_EQ_INT(gort_ctx_err(p), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_cause(p), 1101);
    CHECK_EQ_INT(gort_ctx_err(late), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_ctx_cause(late), 1101);
    CHECK_EQ_INT(gort_ctx_cause(early), 1103);
    gort_ctx_unref(early);
    gort_ctx_unref(late);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
