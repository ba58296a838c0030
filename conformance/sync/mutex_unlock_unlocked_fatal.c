// Unlocking an unlocked mutex is Go's fatal error (not a recoverable panic):
// `fatal error: sync: unlock of unlocked mutex`, exit 2, even with a
// recovering deferred call in place.
// gort-test: exit=2
// gort-test: stderr=fatal error: sync: unlock of unlocked mutex
#include "check.h"

static gort_waitgroup fin;

static void rec(void *arg) { (void)arg; (void)gort_recover(); gort_wg_done(&fin); }

static void body(void *arg)
{
    (void)arg;
    gort_defer(rec, NULL);
    gort_mutex mu = {0};
    gort_mutex_lock(&mu);
    gort_mutex_unlock(&mu);
    gort_mutex_unlock(&mu);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&fin, 1);
    go(body, NULL);
    gort_wg_wait(&fin);
    gort_sleep(MS(50));
    check_fdprintf(2, "unlock of unlocked mutex was not fatal\n");
    return 0;
}

GORT_MAIN(main_fn)
