// A pending writer blocks new readers, so readers that keep overlapping
// (the read lock is never free) cannot starve it: the writer gets the lock
// within a generous 1 s, while 8 readers re-acquire continuously.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define R 8

static gort_rwmutex rw;
static _Atomic int stop;
static gort_waitgroup wg;
static _Atomic int readers_started;

static void reader(void *arg)
{
    (void)arg;
    atomic_fetch_add(&readers_started, 1);
    int64_t deadline = now_ns() + MS(10000);
    while (!atomic_load(&stop) && now_ns() < deadline) {
        gort_rwmutex_rlock(&rw);
        gort_sleep(US(200));
        gort_rwmutex_runlock(&rw);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, R);
    for (int i = 0; i < R; i++) go(reader, NULL);
    while (atomic_load(&readers_started) < R) gort_yield();
    gort_sleep(MS(20));
    for (int k = 0; k < 5; k++) {
        int64_t t0 = now_ns();
        gort_rwmutex_lock(&rw);
        int64_t w = now_ns() - t0;
        gort_rwmutex_unlock(&rw);
        CHECK_MSG(w < MS(1000), "writer waited %lld ms behind a stream of readers", (long long)(w / 1000000));
        gort_sleep(MS(2));
    }
    atomic_store(&stop, 1);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
