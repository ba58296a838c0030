// A mutex locked by one goroutine may be unlocked by another (as in Go), and
// a goroutine blocked in lock is then woken: A locks; B blocks in lock; C
// unlocks A's lock; B gets it.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static gort_mutex mu;
static gort_waitgroup locked, wg;
static _Atomic int b_has_it;

static void a(void *arg) { (void)arg; gort_mutex_lock(&mu); gort_wg_done(&locked); gort_wg_done(&wg); }

static void b(void *arg)
{
    (void)arg;
    gort_mutex_lock(&mu);
    atomic_store(&b_has_it, 1);
    gort_mutex_unlock(&mu);
    gort_wg_done(&wg);
}

static void c(void *arg) { (void)arg; gort_mutex_unlock(&mu); gort_wg_done(&wg); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&locked, 1);
    gort_wg_add(&wg, 3);
    go(a, NULL);
    gort_wg_wait(&locked);
    go(b, NULL);
    gort_sleep(MS(20));
    CHECK_EQ_INT(atomic_load(&b_has_it), 0);
    go(c, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&b_has_it), 1);
    CHECK(gort_mutex_trylock(&mu));
    gort_mutex_unlock(&mu);
    return 0;
}

GORT_MAIN(main_fn)
