// Asynchronous preemption and gort_lock_os_thread together: a goroutine that
// called gort_lock_os_thread and is then preempted (wired twice over) stays
// locked after it parks again — the end of the preemption's wiring at its
// next park must not end the lock — and an unlock made while still wired by
// a preemption lasts.  GOMAXPROCS=2, 4 other goroutines loop without calling
// anything (more loops than processors: everybody is preempted in turn) and,
// each time they run, check that they are not on the locked thread:
//   1. the goroutine locks, loops until it has been preempted (5 pauses of
//      2 ms or more seen from inside the loop), then parks 50 times
//      (gort_sleep, gort_yield, channel): always back on its thread;
//   2. it loops again until preempted, unlocks (still wired by that
//      preemption: it goes on looping on the same thread until preempted
//      again), then starts 4 goroutines and waits for them, up to 500 times,
//      until one of them has run on its thread: the lock really ended (a
//      locked thread runs no other goroutine).
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=40
#include "pre.h"

#define NSPIN 4

static _Atomic int stop;
static _Atomic long locked_tid;
static _Atomic long progress[NSPIN];
static gort_waitgroup spin_wg, main_wg;
static gort_chan *ch;

/* Loops calling nothing until it saw 5 pauses (the loop was preempted),
 * checking that it stays on its thread meanwhile. */
static void spin_until_preempted(long tid, const char *phase)
{
    int pauses = 0;
    int64_t last = now_ns(), end = last + MS(5000);
    while (pauses < 5) {
        for (volatile int k = 0; k < 2000; k++) { }
        int64_t now = now_ns();
        if (now - last >= MS(2)) pauses++;
        last = now;
        CHECK_MSG(now < end, "%s: the loop saw only %d pauses in 5 s", phase, pauses);
        CHECK_MSG(gettid_() == tid, "%s: the loop moved from thread %ld to %ld", phase, tid, gettid_());
    }
}

/* n parks, each back on thread tid. */
static void parks(int n, long tid, const char *phase)
{
    for (int i = 0; i < n; i++) {
        switch (i % 3) {
        case 0: gort_sleep(US(100)); break;
        case 1: gort_yield(); break;
        default: {
            int v = i;
            gort_chan_send(ch, &v);
            CHECK(gort_chan_recv(ch, &v));
            break;
        }
        }
        CHECK_MSG(gettid_() == tid, "%s: park %d came back on thread %ld, locked to %ld", phase, i, gettid_(), tid);
    }
}

static _Atomic long unlocked_tid, ran_on;

static void record_tid(void *arg)
{
    if (gettid_() == atomic_load(&unlocked_tid)) atomic_store(&ran_on, 1);
    gort_wg_done(arg);
}

static void other(void *arg)
{
    intptr_t me = (intptr_t)arg;
    long n = 0;
    while (!LD(stop)) {
        long t = gettid_();
        CHECK_MSG(atomic_load(&locked_tid) != t, "loop %ld ran on thread %ld, which another goroutine holds locked",
                  (long)me, t);
        for (volatile int k = 0; k < 2000; k++) { }
        ST(progress[me], ++n);
    }
    gort_wg_done(&spin_wg);
}

static void locker(void *arg)
{
    (void)arg;
    /* 1 */
    gort_lock_os_thread();
    long tid = gettid_();
    atomic_store(&locked_tid, tid);
    spin_until_preempted(tid, "locked");
    parks(50, tid, "locked, after preemption");
    /* 2: unlocked while still wired by the last preemption */
    spin_until_preempted(tid, "locked, second loop");
    atomic_store(&locked_tid, 0);
    gort_unlock_os_thread();
    atomic_store(&unlocked_tid, tid);
    spin_until_preempted(gettid_(), "unlocked");
    /* no longer locked: goroutines it starts run on its thread when it
     * parks (they are queued on its processor), which a locked thread
     * would never do */
    bool seen = false;
    int rounds = 0;
    for (; rounds < 500 && !seen; rounds++) {
        gort_waitgroup wg = {0};
        gort_wg_add(&wg, 4);
        for (int i = 0; i < 4; i++) go(record_tid, &wg);
        gort_wg_wait(&wg);
        seen = atomic_load(&ran_on) != 0;
    }
    CHECK_MSG(seen, "after the unlock, none of %d goroutines it started ran on its thread %ld", rounds * 4, tid);
    gort_wg_done(&main_wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    pre_watchdog_start(MS(20000), "a locked goroutine among loops at GOMAXPROCS=2");
    ch = gort_chan_make(sizeof(int), 1);
    gort_wg_add(&spin_wg, NSPIN);
    for (intptr_t i = 0; i < NSPIN; i++) go(other, (void *)i);
    gort_wg_add(&main_wg, 1);
    go(locker, NULL);
    gort_wg_wait(&main_wg);
    ST(stop, 1);
    gort_wg_wait(&spin_wg);
    pre_watchdog_stop();
    return 0;
}

GORT_MAIN(main_fn)
