// Goroutines blocked in semacquire(lifo=false) on one address queue in
// arrival order, and each semrelease wakes the one that has waited longest.
// White-box: the queue itself is read through sema.c's test hook, and each
// release is checked to wake exactly the next goroutine in that order.
#include "export_test.h"

#define N 8

static uint32_t sem;                 /* the semaphore: starts at 0 units */
static G *_Atomic gs[N];             /* each waiter's G, published before it blocks */
/* order[k]: the waiter that returned k-th, -1 until it has stored itself
 * (a waiter takes its slot, then stores: main waits for the store, not the
 * count, or it could read a slot not yet written: 0, which is waiter 0's
 * number). */
static _Atomic int order[N], woken;

static void waiter(void *arg)
{
    int i = (int)(intptr_t)arg;
    atomic_store(&gs[i], gort__getg());
    semacquire(&sem, false, WAIT_MUTEX);
    atomic_store(&order[atomic_fetch_add(&woken, 1)], i);
}

static bool wait_woken(int n)
{
    int64_t end = now_ns() + MS(10000);
    while (atomic_load(&order[n - 1]) < 0) {
        if (now_ns() > end) return false;
        gort_yield();
    }
    return true;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < N; i++)
        atomic_store(&order[i], -1);
    for (int i = 0; i < N; i++) {
        go(waiter, (void *)(intptr_t)i);
        CHECK_MSG(xt_sema_wait_waiters(&sem, i + 1, MS(10000)), "waiter %d never queued", i);
    }
    G *q[N + 1];
    CHECK_EQ_INT(xt_sema_waiters(&sem, q, N + 1), N);
    for (int i = 0; i < N; i++)
        CHECK_MSG(q[i] == atomic_load(&gs[i]), "queue position %d holds goroutine %llu, want waiter %d (%llu)",
                  i, (unsigned long long)q[i]->id, i, (unsigned long long)atomic_load(&gs[i])->id);

    for (int k = 0; k < N; k++) {
        semrelease(&sem, false);
        CHECK_MSG(wait_woken(k + 1), "release %d woke nobody", k);
        CHECK_MSG(atomic_load(&woken) == k + 1, "release %d woke %d waiters", k, atomic_load(&woken));
        CHECK_MSG(atomic_load(&order[k]) == k, "release %d woke waiter %d, want %d (FIFO)", k,
                  atomic_load(&order[k]), k);
        CHECK_EQ_INT(xt_sema_waiters(&sem, q, N + 1), N - k - 1);
        if (k + 1 < N)
            CHECK_MSG(q[0] == atomic_load(&gs[k + 1]), "after release %d the queue's head is not waiter %d", k, k + 1);
    }
    CHECK_EQ_INT(ld_acq(&sem), 0);
    return 0;
}

GORT_MAIN(main_fn)
