// gort_mutex_trylock takes an unlocked mutex (true) and fails without blocking
// on a locked one (false) — from the holder and from another goroutine.
#include "check.h"

static gort_mutex mu;
static gort_waitgroup wg;
static _Atomic int other_result = -1;

static void other(void *arg)
{
    (void)arg;
    atomic_store(&other_result, gort_mutex_trylock(&mu) ? 1 : 0);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK(gort_mutex_trylock(&mu));
    CHECK(!gort_mutex_trylock(&mu));
    gort_wg_add(&wg, 1);
    go(other, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&other_result), 0);
    gort_mutex_unlock(&mu);
    CHECK(gort_mutex_trylock(&mu));
    gort_mutex_unlock(&mu);
    gort_mutex_lock(&mu);
    CHECK(!gort_mutex_trylock(&mu));
    gort_mutex_unlock(&mu);
    gort_wg_add(&wg, 1);
    go(other, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&other_result), 1);   /* it took it... */
    CHECK(!gort_mutex_trylock(&mu));                /* ...and still holds it */
    gort_mutex_unlock(&mu);                         /* another goroutine may unlock */
    CHECK(gort_mutex_trylock(&mu));
    gort_mutex_unlock(&mu);
    return 0;
}

GORT_MAIN(main_fn)
