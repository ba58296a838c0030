// As in Go: if fn panics, gort_once_do considers it to have returned; a
// later call does not run fn again (and does not hang on the Once).
#include "check.h"

static gort_once once;
static _Atomic int calls;
static gort_waitgroup fin;
static char recovered[128];

static void panicking_init(void *arg) { (void)arg; atomic_fetch_add(&calls, 1); gort_panic("init failed %d", 7); }
static void counting_init(void *arg) { (void)arg; atomic_fetch_add(&calls, 1); }

static void rec(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    snprintf(recovered, sizeof recovered, "%s", m ? m : "(null)");
    gort_wg_done(&fin);
}

static void first(void *arg)
{
    (void)arg;
    gort_defer(rec, NULL);
    gort_once_do(&once, panicking_init, NULL);
}

static gort_waitgroup second_wg;
static void second(void *arg) { (void)arg; gort_once_do(&once, counting_init, NULL); gort_wg_done(&second_wg); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&fin, 1);
    go(first, NULL);
    gort_wg_wait(&fin);
    CHECK_STR_CONTAINS(recovered, "init failed 7");
    CHECK_EQ_INT(atomic_load(&calls), 1);
    gort_wg_add(&second_wg, 1);
    go(second, NULL);
    int64_t deadline = now_ns() + MS(5000);
    /* the Once must not be left locked by the panicking caller */
    while (gort_num_goroutine() > 1 && now_ns() < deadline) gort_sleep(MS(1));
    CHECK_MSG(gort_num_goroutine() == 1, "a second gort_once_do is stuck after fn panicked");
    gort_wg_wait(&second_wg);
    CHECK_EQ_INT(atomic_load(&calls), 1);
    return 0;
}

GORT_MAIN(main_fn)
