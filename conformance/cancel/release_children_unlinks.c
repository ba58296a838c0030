// Releasing a child unlinks it from its parent, so a long-lived parent does
// not grow: 1,000,000 children (cancel, timeout, and value-then-cancel ones,
// some canceled before release) are created and released below one parent;
// effective RSS after the last 900,000 grows by less than 16 MiB over what
// it was after the first 100,000 (a child left linked would cost well over
// 100 bytes each: 90+ MiB).  The parent still works afterwards.
// gort-test: timeout=60
#include "check.h"

#define N 1000000
#define WARM 100000

static int key;

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_SANITIZERS();
    gort_ctx *parent = gort_ctx_with_cancel(gort_ctx_background());
    int64_t base = 0, t0 = now_ns();
    for (int i = 0; i < N; i++) {
        if (i == WARM) base = rss_effective_bytes();
        gort_ctx *c;
        switch (i % 4) {
        case 0: c = gort_ctx_with_cancel(parent); break;
        case 1: c = gort_ctx_with_timeout(parent, MS(60000)); break;
        case 2: {
            gort_ctx *v = gort_ctx_with_value(parent, &key, NULL);
            c = gort_ctx_with_cancel(v);
            gort_ctx_unref(v);
            break;
        }
        default:
            c = gort_ctx_with_cancel(parent);
            gort_ctx_cancel(c);
            break;
        }
        gort_ctx_unref(c);
    }
    int64_t end = rss_effective_bytes();
    int64_t growth = end - base;
    NOTE("RSS %lld KiB after %d children, %lld KiB after %d; %lld ms\n", (long long)(base / 1024),
         WARM, (long long)(end / 1024), N, (long long)((now_ns() - t0) / 1000000));
    CHECK_MSG(growth < 16 * 1024 * 1024, "RSS grew by %lld KiB over %d released children",
              (long long)(growth / 1024), N - WARM);

    gort_ctx *kid = gort_ctx_with_cancel(parent);
    gort_ctx_cancel(parent);
    CHECK_EQ_INT(gort_ctx_err(kid), GORT_CANCELED);
    gort_ctx_unref(kid);
    gort_ctx_unref(parent);
    return 0;
}

GORT_MAIN(main_fn)
