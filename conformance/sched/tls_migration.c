// Goroutines that park and resume many times with GOMAXPROCS=2 (yield, sleep,
// mutex waits, WaitGroup waits) may resume on another OS thread; after every
// park gort_id() is still their own id and thread-local state read through a
// noinline function is the current thread's own.  Reports how often they
// migrated, and at least one park must have resumed on another thread (else
// nothing was checked across a migration).
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define G 64
#define ITERS 400

static __thread long tls_tid;
static __thread uint64_t tls_canary;

static CHECK_NOINLINE long tls_read_tid(void)
{
    if (tls_tid == 0) {
        tls_tid = gettid_();
        tls_canary = (uint64_t)tls_tid * 0x9E3779B97F4A7C15ull;
    }
    return tls_tid;
}

static CHECK_NOINLINE uint64_t tls_read_canary(void) { return tls_canary; }

static gort_mutex mu;
static gort_waitgroup done_wg;
static _Atomic long migrations;
static long shared_counter;

static void wg_done_fn(void *wg) { gort_wg_done(wg); }

static void check_after_park(uint64_t me, long *last_tid)
{
    CHECK_EQ_U64(gort_id(), me);
    long t = tls_read_tid();
    CHECK_MSG(t == gettid_(), "thread-local tid %ld but running on thread %ld", t, gettid_());
    CHECK_EQ_U64(tls_read_canary(), (uint64_t)t * 0x9E3779B97F4A7C15ull);
    if (t != *last_tid) atomic_fetch_add(&migrations, 1);
    *last_tid = t;
}

static void body(void *arg)
{
    uint64_t me = gort_id();
    uint64_t rnd = (uint64_t)(uintptr_t)arg + 1;
    long last = tls_read_tid();
    for (int i = 0; i < ITERS; i++) {
        switch (rand_next(&rnd) % 5) {
        case 0: gort_yield(); break;
        case 1: gort_sleep(0); gort_sleep(US(rand_next(&rnd) % 50)); break;
        case 2:
            gort_mutex_lock(&mu);
            check_after_park(me, &last);
            shared_counter++;
            gort_yield();                     /* park while holding it: others queue up */
            gort_mutex_unlock(&mu);
            break;
        case 3: {
            gort_waitgroup wg = {0};
            gort_wg_add(&wg, 1);
            go(wg_done_fn, &wg);
            gort_wg_wait(&wg);
            break;
        }
        default: spin_ns(US(5)); gort_yield(); break;
        }
        check_after_park(me, &last);
    }
    gort_wg_done(&done_wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_TSAN("it reads thread-local variables from goroutines on purpose");
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    gort_wg_add(&done_wg, G);
    for (intptr_t i = 0; i < G; i++) go(body, (void *)i);
    long last = tls_read_tid();
    for (int i = 0; i < 200; i++) {
        gort_yield();
        check_after_park(1, &last);
    }
    gort_wg_wait(&done_wg);
    check_after_park(1, &last);
    NOTE("%ld migrations observed\n", atomic_load(&migrations));
    CHECK_MSG(atomic_load(&migrations) > 0, "no goroutine ever resumed on another OS thread (GOMAXPROCS=2): the "
              "thread-local checks never ran across a migration");
    return 0;
}

GORT_MAIN(main_fn)
