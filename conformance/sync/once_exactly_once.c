// gort_once_do runs fn exactly once under 1,000 concurrent callers
// (GOMAXPROCS=2), and every caller returns only after fn has finished
// (fn parks for 10 ms in the middle, so latecomers must wait for it).
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define CALLERS 1000

static gort_once once;
static _Atomic int calls, finished;
static gort_waitgroup wg;

static void init_fn(void *arg)
{
    CHECK_EQ_INT((intptr_t)arg, 42);
    atomic_fetch_add(&calls, 1);
    gort_sleep(MS(10));
    atomic_store(&finished, 1);
}

static void caller(void *arg)
{
    (void)arg;
    gort_once_do(&once, init_fn, (void *)42);
    CHECK_MSG(atomic_load(&finished) == 1, "gort_once_do returned before fn finished");
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, CALLERS);
    for (int i = 0; i < CALLERS; i++) go(caller, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&calls), 1);
    gort_once_do(&once, init_fn, (void *)42);
    CHECK_EQ_INT(atomic_load(&calls), 1);
    return 0;
}

GORT_MAIN(main_fn)
