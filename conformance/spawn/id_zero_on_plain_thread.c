// gort_id() is 0 on an OS thread that runs no goroutine: the process's main
// thread before the runtime starts, a pthread while goroutines run, and the
// thread that called gort_run after it returned.
#include "check.h"
#include <pthread.h>

static _Atomic uint64_t inside;

static void fn(void *arg) { (void)arg; atomic_store(&inside, gort_id()); }

static void *thr(void *arg)
{
    (void)arg;
    CHECK_EQ_U64(gort_id(), 0);
    gort_run(fn, NULL);
    CHECK(atomic_load(&inside) > 0);
    CHECK_EQ_U64(gort_id(), 0);
    return NULL;
}

int main(void)
{
    CHECK_EQ_U64(gort_id(), 0);
    gort_run(fn, NULL);
    CHECK(atomic_load(&inside) > 0);
    CHECK_EQ_U64(gort_id(), 0);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, thr, NULL), 0);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    CHECK_EQ_U64(gort_id(), 0);
    return 0;
}
