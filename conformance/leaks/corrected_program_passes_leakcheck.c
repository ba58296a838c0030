// The program of blocked_forever_named_by_leakcheck.c, corrected: the
// receiver is given its value, a second worker blocked in a select on its
// channel and a context's done channel is released by cancelling the
// context, and a third is still finishing (a 30 ms sleep) when the check
// starts.  gort_leakcheck(5 s) waits for that one, returns 0, writes nothing
// to stderr, and returns as soon as the last goroutine has ended — well
// before its 5 s timeout.
#include "leaks/leak_capture.h"

static gort_chan *ch, *never;
static _Atomic int got = -1, select_done = -1, slow_done;

static void receiver(void *arg)
{
    (void)arg;
    int v = 0;
    if (gort_chan_recv(ch, &v)) atomic_store(&got, v);
}

static void ctx_worker(void *arg)
{
    gort_ctx *ctx = arg;
    gort_case cs[2] = { { GORT_RECV, never, NULL, false }, { GORT_RECV, gort_ctx_done(ctx), NULL, false } };
    atomic_store(&select_done, gort_select(cs, 2, true));
    gort_ctx_unref(ctx);
}

static void slow(void *arg) { (void)arg; gort_sleep(MS(30)); atomic_store(&slow_done, 1); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    ch = gort_chan_make(sizeof(int), 0);
    never = gort_chan_make(0, 0);
    gort_ctx *ctx = gort_ctx_with_cancel(gort_ctx_background());
    go(receiver, NULL);
    go(ctx_worker, gort_ctx_ref(ctx));
    gort_sleep(MS(5));                  /* both block */
    int v = 9;
    gort_chan_send(ch, &v);             /* the fix: the value is sent */
    gort_ctx_cancel(ctx);               /* the fix: the worker is told to stop */
    go(slow, NULL);

    char *report = NULL;
    int64_t took = 0;
    int n = leakcheck_capture(MS(5000), &report, &took);
    CHECK_MSG(n == 0, "gort_leakcheck returned %d, report:\n%.900s", n, report);
    CHECK_MSG(report[0] == 0, "gort_leakcheck wrote something with nothing leaked:\n%.900s", report);
    CHECK_MSG(took < MS(2000), "gort_leakcheck took %lld ms with everything ending within 30 ms",
              (long long)(took / 1000000));
    CHECK_EQ_INT(atomic_load(&slow_done), 1);       /* it did wait for the slow one */
    CHECK_EQ_INT(atomic_load(&got), 9);
    CHECK_EQ_INT(atomic_load(&select_done), 1);
    CHECK_EQ_INT(gort_num_goroutine(), 1);
    free(report);
    gort_ctx_unref(ctx);
    gort_chan_unref(ch);
    gort_chan_unref(never);
    return 0;
}

GORT_MAIN(main_fn)
