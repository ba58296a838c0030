// A bounded queue built from a mutex and two conds (not_full, not_empty),
// the classic use: 4 producers put 5000 numbers each through an 8-slot ring
// to 4 consumers that use signal, with a broadcast on shutdown; every number
// arrives exactly once (sum and count), nobody is left waiting, no lost
// wake-up (a lost one hangs the test).  Under ThreadSanitizer: no race on
// the plain ring.
// gort-test: timeout=120
#include "check.h"

#define PRODUCERS 4
#define CONSUMERS 4
#define PER 5000
#define CAP 8

static gort_mutex m;
static gort_cond not_full, not_empty;
static long ring[CAP];
static int head, count, producers_left = PRODUCERS;
static gort_waitgroup wg;
static _Atomic long long sum;
static _Atomic long got;
static _Atomic int seen[PRODUCERS * PER];

static void producer(void *arg)
{
    int p = (int)(intptr_t)arg;
    for (int i = 0; i < PER; i++) {
        gort_mutex_lock(&m);
        while (count == CAP)
            gort_cond_wait(&not_full, &m);
        ring[(head + count) % CAP] = (long)p * PER + i;
        count++;
        gort_cond_signal(&not_empty);
        gort_mutex_unlock(&m);
    }
    gort_mutex_lock(&m);
    if (--producers_left == 0)
        gort_cond_broadcast(&not_empty);
    gort_mutex_unlock(&m);
    gort_wg_done(&wg);
}

static void consumer(void *arg)
{
    (void)arg;
    for (;;) {
        gort_mutex_lock(&m);
        while (count == 0 && producers_left > 0)
            gort_cond_wait(&not_empty, &m);
        if (count == 0) {
            gort_mutex_unlock(&m);
            break;
        }
        long v = ring[head];
        head = (head + 1) % CAP;
        count--;
        gort_cond_signal(&not_full);
        gort_mutex_unlock(&m);
        CHECK(v >= 0 && v < PRODUCERS * PER);
        CHECK_MSG(atomic_fetch_add(&seen[v], 1) == 0, "%ld received twice", v);
        atomic_fetch_add(&sum, v);
        atomic_fetch_add(&got, 1);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, PRODUCERS + CONSUMERS);
    for (int i = 0; i < CONSUMERS; i++) go(consumer, NULL);
    for (int i = 0; i < PRODUCERS; i++) go(producer, (void *)(intptr_t)i);
    gort_wg_wait(&wg);
    long long n = (long long)PRODUCERS * PER;
    CHECK_EQ_INT(atomic_load(&got), n);
    CHECK_EQ_INT(atomic_load(&sum), n * (n - 1) / 2);
    return 0;
}

GORT_MAIN(main_fn)
