// semrelease(handoff=true) (a starving mutex's unlock) takes the unit for
// the woken waiter itself: the semaphore reads 0 as soon as it returns, no
// one else can take that unit, and the waiter returns from semacquire on its
// ticket alone.  Without handoff the unit is left in the semaphore until the
// waiter runs and takes it.
//
// Deterministic: with one P, held by the main goroutine spinning (no runtime
// call, no preemption signal), the woken waiter cannot run while the
// releasing plain thread looks at the semaphore and tries to barge in.
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
#include "export_test.h"

#include <pthread.h>

static uint32_t sem;
static _Atomic int waiter_done;
static _Atomic bool release_handoff;
static _Atomic int seen_after_release = -1, barged = -1, releaser_done;

static void waiter(void *arg)
{
    (void)arg;
    semacquire(&sem, false, WAIT_MUTEX);
    atomic_fetch_add(&waiter_done, 1);
}

static void *releaser(void *arg)
{
    (void)arg;
    (void)gort_now();   /* registers this plain thread with the runtime */
    semrelease(&sem, atomic_load(&release_handoff));
    atomic_store(&seen_after_release, (int)ld_acq(&sem));
    /* A barger (a new Lock) takes whatever unit is there. */
    uint32_t v = ld_acq(&sem);
    atomic_store(&barged, v > 0 && cas(&sem, v, v - 1));
    atomic_store(&releaser_done, 1);
    return NULL;
}

/* Releases from a plain thread while this goroutine keeps the only P. */
static void release_from_thread(bool handoff)
{
    atomic_store(&release_handoff, handoff);
    atomic_store(&releaser_done, 0);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, releaser, NULL), 0);
    while (!atomic_load(&releaser_done))
        spin_ns(1000);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
}

static bool wait_done(int n)
{
    int64_t end = now_ns() + MS(10000);
    while (atomic_load(&waiter_done) < n) {
        if (now_ns() > end) return false;
        gort_sleep(US(100));
    }
    return true;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);

    /* Without handoff: the unit waits in the semaphore, and a barger gets it. */
    go(waiter, NULL);
    CHECK(xt_sema_wait_waiters(&sem, 1, MS(10000)));
    release_from_thread(false);
    CHECK_MSG(atomic_load(&seen_after_release) == 1, "plain release: semaphore read %d, want 1",
              atomic_load(&seen_after_release));
    CHECK_MSG(atomic_load(&barged) == 1, "plain release: a barger could not take the unit");
    /* The waiter woke to nothing and queued again; a second unit is its own. */
    CHECK(xt_sema_wait_waiters(&sem, 1, MS(10000)));
    CHECK_EQ_INT(atomic_load(&waiter_done), 0);
    semrelease(&sem, false);
    CHECK_MSG(wait_done(1), "the waiter never got the second unit");
    CHECK_EQ_INT(ld_acq(&sem), 0);

    /* With handoff: the unit is the waiter's before anyone can look. */
    go(waiter, NULL);
    CHECK(xt_sema_wait_waiters(&sem, 1, MS(10000)));
    release_from_thread(true);
    CHECK_MSG(atomic_load(&seen_after_release) == 0,
              "handoff release: semaphore read %d, want 0 (the unit handed to the waiter)",
              atomic_load(&seen_after_release));
    CHECK_MSG(atomic_load(&barged) == 0, "handoff release: a barger took the waiter's unit");
    CHECK_EQ_INT(xt_sema_waiters(&sem, NULL, 0), 0);
    CHECK_MSG(wait_done(2), "the handed-off waiter never returned from semacquire");
    CHECK_EQ_INT(ld_acq(&sem), 0);
    return 0;
}

GORT_MAIN(main_fn)
