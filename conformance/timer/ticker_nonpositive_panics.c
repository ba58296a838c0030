// gort_ticker_new with a period <= 0 panics as Go's NewTicker does
// ("non-positive interval for NewTicker"): a recoverable panic for 0 in a
// goroutine (the message checked), then an unrecovered one for -1 in main,
// which exits 2.
// gort-test: exit=2
// gort-test: stderr=^panic: non-positive interval for NewTicker
// gort-test: stderr=^recovered: non-positive interval for NewTicker$
// gort-test: stderr=^goroutine 1 \[running(, [0-9]+ ms without yielding)?\]:
#include "check.h"

static gort_waitgroup wg;
static _Atomic int returned;

static void catcher(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    CHECK(m != NULL);
    check_fdprintf(2, "recovered: %s\n", m);
    gort_wg_done(&wg);
}

static void zero(void *arg)
{
    gort_defer(catcher, NULL);
    gort_ticker *tk = gort_ticker_new((int64_t)(intptr_t)arg);
    atomic_store(&returned, 1);
    gort_ticker_free(tk);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 1);
    go(zero, (void *)0);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&returned), 0);
    gort_ticker *tk = gort_ticker_new(-1);
    check_fdprintf(2, "gort_ticker_new(-1) returned %p\n", (void *)tk);
    return 0;
}

GORT_MAIN(main_fn)
