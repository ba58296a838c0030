// Many readers hold a gort_rwmutex at once: each of 10 readers, holding the
// read lock, waits (yielding) until it has seen another reader inside too.
// Works with one P, since the waiting is done by yielding.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

#define R 10

static gort_rwmutex rw;
static _Atomic int inside, max_inside;
static gort_waitgroup wg;

static void reader(void *arg)
{
    (void)arg;
    gort_rwmutex_rlock(&rw);
    int n = atomic_fetch_add(&inside, 1) + 1;
    int m = atomic_load(&max_inside);
    while (n > m && !atomic_compare_exchange_weak(&max_inside, &m, n)) {}
    int64_t deadline = now_ns() + MS(5000);
    while (atomic_load(&max_inside) < 2) {
        CHECK_MSG(now_ns() < deadline, "a reader held the read lock alone for 5 s");
        gort_yield();
    }
    gort_yield();
    atomic_fetch_sub(&inside, 1);
    gort_rwmutex_runlock(&rw);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, R);
    for (int i = 0; i < R; i++) go(reader, NULL);
    gort_wg_wait(&wg);
    CHECK_GE_INT(atomic_load(&max_inside), 2);
    /* a writer gets it once the readers are gone */
    gort_rwmutex_lock(&rw);
    gort_rwmutex_unlock(&rw);
    return 0;
}

GORT_MAIN(main_fn)
