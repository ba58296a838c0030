// What a goroutine wrote (holding the mutex) before it signalled is what
// the woken waiter sees (Go's TestRace, for sync.Cond): three goroutines
// hand a plain int x along 1 -> 2 -> 3 with waits and signals; the first
// sees 2 after its wait, the third sees 3 after its wait.  Under
// ThreadSanitizer the program must report no race (x is a plain int).
#include "check.h"

static gort_mutex mu;
static gort_cond c;
static int x;                      /* plain, guarded by mu */
static gort_waitgroup done;
static _Atomic int first_saw = -1, third_saw = -1;

static void first(void *arg)
{
    (void)arg;
    gort_mutex_lock(&mu);
    x = 1;
    gort_cond_wait(&c, &mu);
    atomic_store(&first_saw, x);
    x = 3;
    gort_cond_signal(&c);
    gort_mutex_unlock(&mu);
    gort_wg_done(&done);
}

static void second(void *arg)
{
    (void)arg;
    gort_mutex_lock(&mu);
    for (;;) {
        if (x == 1) {
            x = 2;
            gort_cond_signal(&c);
            break;
        }
        gort_mutex_unlock(&mu);
        gort_yield();
        gort_mutex_lock(&mu);
    }
    gort_mutex_unlock(&mu);
    gort_wg_done(&done);
}

static void third(void *arg)
{
    (void)arg;
    gort_mutex_lock(&mu);
    for (;;) {
        if (x == 2) {
            gort_cond_wait(&c, &mu);
            atomic_store(&third_saw, x);
            break;
        }
        if (x == 3) {
            atomic_store(&third_saw, 3);
            break;
        }
        gort_mutex_unlock(&mu);
        gort_yield();
        gort_mutex_lock(&mu);
    }
    gort_mutex_unlock(&mu);
    gort_wg_done(&done);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int it = 0; it < 200; it++) {
        x = 0;
        atomic_store(&first_saw, -1);
        atomic_store(&third_saw, -1);
        gort_wg_add(&done, 3);
        go(first, NULL);
        go(second, NULL);
        go(third, NULL);
        gort_wg_wait(&done);
        CHECK_MSG(atomic_load(&first_saw) == 2, "iteration %d: first saw %d after its wait, want 2", it,
                  atomic_load(&first_saw));
        CHECK_MSG(atomic_load(&third_saw) == 3, "iteration %d: third saw %d, want 3", it,
                  atomic_load(&third_saw));
    }
    return 0;
}

GORT_MAIN(main_fn)
