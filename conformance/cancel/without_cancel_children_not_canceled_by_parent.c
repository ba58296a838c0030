// A context derived from gort_ctx_without_cancel(parent) is cut off from
// the parent's cancellation and deadline: a with_cancel child and a
// with_timeout_cause(10 s) child of without_cancel(p) stay live after p is
// canceled (done still open 30 ms later); the timeout child's deadline is
// its own 10 s, not p's 20 ms; they still end by their own cancel, with
// their own cause; values still come through from above the cut.
#include "check.h"

static int key;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int64_t t0 = gort_now();
    gort_ctx *p = gort_ctx_with_timeout(gort_ctx_background(), MS(20));
    gort_ctx *v = gort_ctx_with_value(p, &key, &key);
    gort_ctx *w = gort_ctx_without_cancel(v);
    gort_ctx *k = gort_ctx_with_cancel(w);
    gort_ctx *tk = gort_ctx_with_timeout_cause(w, MS(10000), 1401);
    int64_t d = 0;
    CHECK(gort_ctx_deadline(tk, &d));
    CHECK_MSG(d >= t0 + MS(10000), "child's deadline is %lld ms after start, not its own 10 s",
              (long long)((d - t0) / 1000000));

    gort_ctx_cancel_cause(p, 1402);
    gort_sleep(MS(30));                 /* p's deadline has passed too */
    bool ok = true;
    CHECK_MSG(!gort_chan_try_recv(gort_ctx_done(k), NULL, &ok), "child of without_cancel ended with the parent");
    CHECK_MSG(!gort_chan_try_recv(gort_ctx_done(tk), NULL, &ok), "timeout child of without_cancel ended with the parent");
    CHECK_EQ_INT(gort_ctx_err(k), 0);
    CHECK_EQ_INT(gort_ctx_cause(k), 0);
    CHECK_EQ_INT(gort_ctx_err(tk), 0);
    CHECK(gort_ctx_value(k, &key) == &key);

    gort_ctx_cancel_cause(k, 1403);
    CHECK_EQ_INT(gort_ctx_err(k), GORT_CANCELED);
    CHECK_EQ_INT(gort_ctx_cause(k), 1403);
    gort_ctx_cancel(tk);
    CHECK_EQ_INT(gort_ctx_cause(tk), GORT_CANCELED);
    gort_ctx_unref(tk);
    gort_ctx_unref(k);
    gort_ctx_unref(w);
    gort_ctx_unref(v);
    gort_ctx_unref(p);
    return 0;
}

GORT_MAIN(main_fn)
