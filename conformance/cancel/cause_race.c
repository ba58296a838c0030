// gort_ctx_cause may be polled while another goroutine cancels (Go's
// TestCauseRace): main polls the cause of a with_cancel_cause context
// (busy, yielding only every 4096 polls, so that the canceler runs on the
// other processor meanwhile; never waiting on done) while a goroutine
// cancels it with cause 1201; the first non-zero cause main sees is 1201,
// and err is then GORT_CANCELED; 200 rounds.  Under ThreadSanitizer: no
// race reported.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static gort_waitgroup wg;

static void canceler(void *arg)
{
    gort_ctx_cancel_cause(arg, 1201);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int round = 0; round < 200; round++) {
        gort_ctx *c = gort_ctx_with_cancel_cause(gort_ctx_background());
        gort_wg_add(&wg, 1);
        go(canceler, c);
        int cause;
        int64_t end = now_ns() + MS(10000);
        for (unsigned polls = 1; (cause = gort_ctx_cause(c)) == 0; polls++) {
            cpu_relax();
            if (polls % 4096 == 0) {
                CHECK_MSG(now_ns() < end, "round %d: no cause 10 s after the cancel started", round);
                gort_yield();
            }
        }
        CHECK_MSG(cause == 1201, "round %d: first cause seen %d, want 1201", round, cause);
        CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
        gort_wg_wait(&wg);              /* the canceler is done with c */
        gort_ctx_unref(c);
    }
    return 0;
}

GORT_MAIN(main_fn)
