// semacquire(lifo=true) queues the waiter at the head of its address's queue
// (a mutex waiter that was woken and lost the race goes back to the front),
// ahead of those already waiting, so the next semrelease wakes it first;
// the FIFO waiters behind it keep their order.
#include "export_test.h"

static uint32_t sem;
static G *_Atomic gs[4];
/* order[k]: the waiter that returned k-th, -1 until it has stored itself
 * (a waiter takes its slot, then stores: main waits for the store, not the
 * count, or it could read a slot not yet written). */
static _Atomic int order[4] = { -1, -1, -1, -1 }, woken;

static void waiter(void *arg)
{
    int i = (int)(intptr_t)arg;
    atomic_store(&gs[i], gort__getg());
    semacquire(&sem, i >= 2, WAIT_MUTEX);   /* 0, 1: FIFO; 2, 3: LIFO */
    atomic_store(&order[atomic_fetch_add(&woken, 1)], i);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < 4; i++) {
        go(waiter, (void *)(intptr_t)i);
        CHECK_MSG(xt_sema_wait_waiters(&sem, i + 1, MS(10000)), "waiter %d never queued", i);
    }
    /* 3 (lifo, last) before 2 (lifo) before 0, 1 (fifo) */
    int want[4] = { 3, 2, 0, 1 };
    G *q[5];
    CHECK_EQ_INT(xt_sema_waiters(&sem, q, 5), 4);
    for (int k = 0; k < 4; k++)
        CHECK_MSG(q[k] == atomic_load(&gs[want[k]]), "queue position %d holds goroutine %llu, want waiter %d",
                  k, (unsigned long long)q[k]->id, want[k]);

    for (int k = 0; k < 4; k++) {
        semrelease(&sem, false);
        int64_t end = now_ns() + MS(10000);
        while (atomic_load(&order[k]) < 0) {
            CHECK_MSG(now_ns() < end, "release %d woke nobody", k);
            gort_yield();
        }
        CHECK_MSG(atomic_load(&woken) == k + 1, "release %d woke %d waiters", k, atomic_load(&woken));
        CHECK_MSG(atomic_load(&order[k]) == want[k], "release %d woke waiter %d, want %d", k,
                  atomic_load(&order[k]), want[k]);
    }
    return 0;
}

GORT_MAIN(main_fn)
