// A writer holding a gort_rwmutex excludes readers and other writers: 8
// writers and 24 readers loop with GOMAXPROCS=2, parking inside their
// critical sections; a writer never sees anyone else inside, a reader never
// sees a writer inside, and the writers' plain counter is exact.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define W 8
#define R 24
#define ITERS 500

static gort_rwmutex rw;
static _Atomic int readers_in, writers_in;
static long wcount;
static gort_waitgroup wg;

static void writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITERS; i++) {
        gort_rwmutex_lock(&rw);
        CHECK_MSG(atomic_fetch_add(&writers_in, 1) == 0, "two writers inside");
        CHECK_MSG(atomic_load(&readers_in) == 0, "a reader is inside with a writer");
        long v = wcount;
        if (i % 7 == 0) gort_yield();
        CHECK_EQ_INT(atomic_load(&readers_in), 0);
        wcount = v + 1;
        atomic_fetch_sub(&writers_in, 1);
        gort_rwmutex_unlock(&rw);
        if (i % 3 == 0) gort_yield();
    }
    gort_wg_done(&wg);
}

static void reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITERS; i++) {
        gort_rwmutex_rlock(&rw);
        atomic_fetch_add(&readers_in, 1);
        CHECK_MSG(atomic_load(&writers_in) == 0, "a writer is inside with a reader");
        if (i % 5 == 0) gort_yield();
        else spin_ns(1000);
        CHECK_MSG(atomic_load(&writers_in) == 0, "a writer is inside with a reader");
        atomic_fetch_sub(&readers_in, 1);
        gort_rwmutex_runlock(&rw);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, W + R);
    for (int i = 0; i < R; i++) {
        go(reader, NULL);
        if (i < W) go(writer, NULL);
    }
    gort_wg_wait(&wg);
    CHECK_EQ_INT(wcount, (long)W * ITERS);
    return 0;
}

GORT_MAIN(main_fn)
