// gort_wg_wait on a WaitGroup whose counter is zero returns at once: a fresh
// zero value, and one whose adds were all matched by dones; with GOMAXPROCS=1
// and no other goroutine that could ever wake it.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_waitgroup wg = {0};
    int64_t t0 = now_ns();
    gort_wg_wait(&wg);
    gort_wg_add(&wg, 3);
    gort_wg_done(&wg);
    gort_wg_add(&wg, -2);
    gort_wg_wait(&wg);
    gort_wg_add(&wg, 0);
    gort_wg_wait(&wg);
    gort_waitgroup *heap = calloc(1, sizeof *heap);
    gort_wg_wait(heap);
    free(heap);
    CHECK_MSG(now_ns() - t0 < MS(1000), "waits on a zero counter took %lld ms", (long long)((now_ns() - t0) / 1000000));
    return 0;
}

GORT_MAIN(main_fn)
