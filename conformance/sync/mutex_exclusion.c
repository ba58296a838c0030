// gort_mutex gives mutual exclusion: 100 goroutines x 1,000 increments of a
// plain (non-atomic) counter with GOMAXPROCS=2, some parking inside the
// critical section; the count is exact and no two are ever inside at once.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define G 100
#define ITERS 1000

static gort_mutex mu;
static gort_waitgroup wg;
static long counter;
static _Atomic int inside;

static void worker(void *arg)
{
    intptr_t id = (intptr_t)arg;
    for (int i = 0; i < ITERS; i++) {
        gort_mutex_lock(&mu);
        CHECK_MSG(atomic_fetch_add(&inside, 1) == 0, "two goroutines hold the mutex");
        long v = counter;
        if ((i + id) % 97 == 0) gort_yield();           /* park while holding it */
        else if ((i + id) % 31 == 0) spin_ns(US(2));
        counter = v + 1;
        atomic_fetch_sub(&inside, 1);
        gort_mutex_unlock(&mu);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, G);
    for (intptr_t i = 0; i < G; i++) go(worker, (void *)i);
    gort_wg_wait(&wg);
    gort_mutex_lock(&mu);
    CHECK_EQ_INT(counter, (long)G * ITERS);
    gort_mutex_unlock(&mu);
    return 0;
}

GORT_MAIN(main_fn)
