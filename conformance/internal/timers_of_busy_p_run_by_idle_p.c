// A P whose goroutine runs without ever scheduling (a loop that calls
// nothing; asynchronous preemption off) cannot run its own timers: an idle
// P's thread runs them when they are due (findrunnable's run over every
// P's timers), so a goroutine sleeping on the busy P's timer heap wakes on
// time, on the idle P.  At GOMAXPROCS=2: main, on some P, starts a spinner
// (queued on main's P) and sleeps 20 ms; its timer is on that P, which
// then runs the spinner for a second.  Main must wake within 200 ms.  If
// the spinner was stolen by the other P (so main's P is not busy), the
// round does not count and is tried again.  White-box: which P each runs on.
// gort-test: env=GOMAXPROCS=2
// gort-test: env=GORT_ASYNCPREEMPT=0
// gort-test: timeout=60
#include "export_test.h"

static _Atomic int stop, spinner_p;
static gort_waitgroup wg;

static int my_p(void) { return gort__getm()->p->id; }

static void spinner(void *arg)
{
    (void)arg;
    atomic_store(&spinner_p, my_p());
    int64_t end = now_ns() + MS(1000);
    while (!atomic_load(&stop) && now_ns() < end) {
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int round = 0; round < 20; round++) {
        atomic_store(&stop, 0);
        atomic_store(&spinner_p, -1);
        int p = my_p();
        gort_wg_add(&wg, 1);
        go(spinner, NULL);
        int64_t t0 = now_ns();
        gort_sleep(MS(20));   /* the timer is on P p */
        int64_t late = now_ns() - t0 - MS(20);
        int sp = atomic_load(&spinner_p);
        atomic_store(&stop, 1);
        gort_wg_wait(&wg);
        if (sp != p) {
            NOTE("round %d: the spinner ran on P %d, main slept on P %d: again\n", round, sp, p);
            continue;
        }
        CHECK_MSG(late < MS(200), "a 20 ms sleep on a P busy with a loop woke %lld ms late",
                  (long long)(late / 1000000));
        NOTE("round %d: main slept on P %d next to the spinner there; woke %lld us late\n", round, p,
             (long long)(late / 1000));
        return 0;
    }
    SKIP("in 20 rounds the spinner never stayed on main's P");
}

int main(int argc, char **argv) { return gort_main(main_fn, argc, argv); }
