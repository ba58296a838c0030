// A goroutine that asynchronous preemption interrupted — and so wired to its
// thread until it next parks — can end in every way while still wired, and
// only gort_lock_os_thread decides whether its thread goes with it.  With
// GOMAXPROCS=1, each goroutine loops without calling anything until main
// has woken from 5 sleeps during which the loop ran (so it was preempted 5
// times, and resumed on its thread), then, straight out of the loop:
//   1. calls gort_exit(): its deferred call runs (on the same goroutine), and
//      its thread still exists 200 ms later (an ending preempted goroutine
//      does not take its thread);
//   2. returns: its thread still exists 200 ms later;
//   3. had called gort_lock_os_thread before the loop, and calls gort_exit()
//      after it: its deferred call runs, and its thread exits (gone from
//      /proc/self/task within 1 s), as for any goroutine ending locked.
// Main holds the main thread locked meanwhile, so that the goroutines run
// on other threads.  Then 20 new goroutines run, and gort_num_goroutine() is
// back to 1.
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=30
#include "pre.h"

static _Atomic int stop;
static _Atomic long progress;
static _Atomic long tid_at_end;
static _Atomic uint64_t deferred_ran_in;
static gort_waitgroup done;

static void deferred(void *arg)
{
    (void)arg;
    atomic_store(&deferred_ran_in, gort_id());
    gort_wg_done(&done);
}

static void spin_then(void *arg)
{
    int how = (int)(intptr_t)arg;
    if (how == 3) gort_lock_os_thread();
    if (how != 2) gort_defer(deferred, NULL);
    pre_spin_until(&stop, &progress);
    atomic_store(&tid_at_end, gettid_());
    if (how == 2) {
        gort_wg_done(&done);
        return;
    }
    gort_exit();
}

static void nop(void *arg) { gort_wg_done(arg); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    pre_watchdog_start(MS(10000), "main asleep while a goroutine loops at GOMAXPROCS=1");
    /* main keeps the main thread (which a goroutine ending locked on it
     * would not take along anyway): the goroutines run on other threads */
    gort_lock_os_thread();
    for (int how = 1; how <= 3; how++) {
        ST(stop, 0);
        ST(progress, 0);
        atomic_store(&deferred_ran_in, 0);
        gort_wg_add(&done, 1);
        uint64_t id = go(spin_then, (void *)(intptr_t)how);
        /* 5 sleeps during which the loop ran: each ended with the loop
         * preempted (main and the loop share the only processor) */
        int preempted = 0;
        for (int i = 0; i < 200 && preempted < 5; i++) {
            long before = LD(progress);
            gort_sleep(MS(2));
            if (LD(progress) > before) preempted++;
        }
        CHECK_MSG(preempted == 5, "case %d: the loop ran during only %d of 200 sleeps", how, preempted);
        ST(stop, 1);
        gort_wg_wait(&done);
        CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(2000)), 1);
        long t = atomic_load(&tid_at_end);
        CHECK_MSG(t != getpid(), "case %d: the goroutine ran on the main thread, which main holds locked", how);
        if (how != 2)
            CHECK_MSG(atomic_load(&deferred_ran_in) == id, "case %d: the deferred call ran in goroutine %llu, want %llu",
                      how, (unsigned long long)atomic_load(&deferred_ran_in), (unsigned long long)id);
        if (how == 3) {
            int64_t end = now_ns() + MS(1000);
            while (pre_thread_state(t) != 0 && now_ns() < end) gort_sleep(MS(1));
            CHECK_MSG(pre_thread_state(t) == 0, "case 3: thread %ld of a goroutine that ended locked still exists", t);
        } else {
            gort_sleep(MS(200));
            char st = pre_thread_state(t);
            CHECK_MSG(st != 0 && st != 'Z', "case %d: thread %ld of a preempted goroutine that ended (not locked) %s",
                      how, t, st ? "is a zombie" : "exited");
        }
    }
    gort_unlock_os_thread();
    gort_waitgroup wg = {0};
    gort_wg_add(&wg, 20);
    for (int i = 0; i < 20; i++) go(nop, &wg);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(2000)), 1);
    pre_watchdog_stop();
    return 0;
}

GORT_MAIN(main_fn)
