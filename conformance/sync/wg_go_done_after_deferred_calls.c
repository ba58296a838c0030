// gort_wg_go marks its goroutine done only after every call fn deferred has
// run: fn defers two calls that sleep (30 ms and 10 ms) before they record
// themselves; gort_wg_wait returns only after both ran, in LIFO order.  The
// same holds when fn panics and a deferred call recovers.
#include "check.h"

static _Atomic int order[2], n_ran;

static void record(int who)
{
    int k = atomic_fetch_add(&n_ran, 1);
    if (k < 2) atomic_store(&order[k], who);
}

static void first_deferred(void *arg) { (void)arg; gort_sleep(MS(30)); record(1); }
static void second_deferred(void *arg) { (void)arg; gort_sleep(MS(10)); record(2); }

static void fn(void *arg)
{
    (void)arg;
    gort_defer(first_deferred, NULL);
    gort_defer(second_deferred, NULL);
}

static void recovering(void *arg) { (void)arg; gort_sleep(MS(20)); (void)gort_recover(); record(1); }

static void panicking_fn(void *arg)
{
    (void)arg;
    gort_defer(recovering, NULL);
    gort_defer(second_deferred, NULL);
    gort_panic("boom");
}

static void run(void (*f)(void *), const char *what)
{
    atomic_store(&n_ran, 0);
    atomic_store(&order[0], 0);
    atomic_store(&order[1], 0);
    gort_waitgroup wg = {0};
    gort_wg_go(&wg, f, NULL);
    gort_wg_wait(&wg);
    CHECK_MSG(atomic_load(&n_ran) == 2, "%s: wait returned after %d of fn's 2 deferred calls", what,
              atomic_load(&n_ran));
    CHECK_EQ_INT(atomic_load(&order[0]), 2);
    CHECK_EQ_INT(atomic_load(&order[1]), 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < 3; i++) {
        run(fn, "fn returns");
        run(panicking_fn, "fn panics, recovered");
    }
    return 0;
}

GORT_MAIN(main_fn)
