// The negative-counter panic is a panic, not a fatal error: a deferred call
// can recover it (the message is `sync: negative WaitGroup counter`) and the
// program goes on.
#include "check.h"

static gort_waitgroup fin;
static char got[256];

static void rec(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    snprintf(got, sizeof got, "%s", m ? m : "(null)");
    gort_wg_done(&fin);
}

static void body(void *arg)
{
    (void)arg;
    gort_defer(rec, NULL);
    gort_waitgroup wg = {0};
    gort_wg_add(&wg, -1);
    check_fdprintf(2, "gort_wg_add(-1) on a zero counter returned\n");
    _exit(1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&fin, 1);
    go(body, NULL);
    gort_wg_wait(&fin);
    CHECK_STR_CONTAINS(got, "sync: negative WaitGroup counter");
    return 0;
}

GORT_MAIN(main_fn)
