// The first cause sticks: a context with a timeout that is canceled first
// keeps GORT_CANCELED after its deadline has passed (and its done stays
// closed); so does a child that inherited the deadline, and a context made
// with a deadline.  The timeout is 20 ms; if the machine is so slow (under
// Valgrind, say) that the deadline passed before the cancel was made, the
// premise did not hold and the round is tried again with a timeout ten
// times longer (up to 20 s).
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int64_t timeout = MS(20);; timeout *= 10) {
        int64_t t0 = gort_now();
        gort_ctx *c = gort_ctx_with_timeout(gort_ctx_background(), timeout);
        gort_ctx *kid = gort_ctx_with_cancel(c);
        gort_ctx *dl = gort_ctx_with_deadline(gort_ctx_background(), t0 + timeout);
        gort_ctx_cancel(c);
        gort_ctx_cancel(dl);
        bool in_time = gort_now() - t0 < timeout;
        if (in_time) {
            CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
            CHECK_EQ_INT(gort_ctx_err(kid), GORT_CANCELED);
            CHECK_EQ_INT(gort_ctx_err(dl), GORT_CANCELED);
            gort_sleep(3 * timeout);        /* well past the deadline */
            CHECK_EQ_INT(gort_ctx_err(c), GORT_CANCELED);
            CHECK_EQ_INT(gort_ctx_err(kid), GORT_CANCELED);
            CHECK_EQ_INT(gort_ctx_err(dl), GORT_CANCELED);
            CHECK(!gort_chan_recv(gort_ctx_done(c), NULL));
        }
        gort_ctx_unref(kid);
        gort_ctx_unref(c);
        gort_ctx_unref(dl);
        if (in_time)
            return 0;
        CHECK_MSG(timeout < MS(20000), "canceling took longer than a %lld ms timeout",
                  (long long)(timeout / 1000000));
    }
}

GORT_MAIN(main_fn)
