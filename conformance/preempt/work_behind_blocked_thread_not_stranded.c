// A goroutine that blocks its thread in a plain system call (no
// gort_syscall_enter) keeps its processor; the runtime lends another one so
// that the rest of the program runs.  What was queued on the blocked
// processor must not wait for the call to end, even when the other
// processors never run out of work because goroutines in loops that call
// nothing are preempted and queued again all the time.  GOMAXPROCS=1, a
// plain thread ends the blocking call (a read(2) on a pipe) after 500 ms:
//   1. four goroutines started just before the blocking one (queued behind
//      it on its processor) all run within 100 ms — each after the blocking
//      goroutine has started its call (else nothing was queued behind it);
//   2. the main goroutine, asleep for 5 ms when the blocking goroutine takes
//      its processor (so its timer is on that processor), wakes within
//      100 ms of its time — and the blocking goroutine did take it first.
// Each case runs in a forked child, with a loop running next to it.
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=30
#include "pre.h"
#include "exit/run_child.h"

static _Atomic int stop;
static _Atomic long progress;
static int pfd[2];
static int64_t t0;
static gort_waitgroup wg;
static _Atomic int64_t marker_at[4];
static _Atomic int blocker_in;              /* the blocking goroutine is (about to be) in its read */
static _Atomic int marker_behind[4];        /* the marker ran once the blocker was in its read */

static void spinner(void *arg)
{
    (void)arg;
    pre_spin_until(&stop, &progress);
}

static void marker(void *arg)
{
    atomic_store(&marker_at[(intptr_t)arg], now_ns() - t0);
    atomic_store(&marker_behind[(intptr_t)arg], atomic_load(&blocker_in));
    gort_wg_done(&wg);
}

static void blocker(void *arg)
{
    (void)arg;
    char c;
    atomic_store(&blocker_in, 1);
    CHECK_EQ_INT(read(pfd[0], &c, 1), 1);
}

static void *writer(void *arg)
{
    (void)arg;
    usleep(500 * 1000);
    CHECK_EQ_INT(write(pfd[1], "x", 1), 1);
    return NULL;
}

static void setup(void)
{
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    CHECK_EQ_INT(pipe(pfd), 0);
    go(spinner, NULL);
    gort_sleep(MS(30));   /* the loop has been running, and preempted */
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, writer, NULL), 0);
    CHECK_EQ_INT(pthread_detach(t), 0);
    t0 = now_ns();
}

static int queued_goroutines(int argc, char **argv)
{
    (void)argc; (void)argv;
    setup();
    gort_wg_add(&wg, 4);
    for (intptr_t i = 0; i < 4; i++) go(marker, (void *)i);
    go(blocker, NULL);      /* the next to run on this processor */
    gort_wg_wait(&wg);
    for (int i = 0; i < 4; i++) {
        int64_t at = atomic_load(&marker_at[i]);
        CHECK_MSG(at < MS(100), "goroutine %d, queued behind the blocking one, ran after %.1f ms", i, (double)at / 1e6);
        CHECK_MSG(atomic_load(&marker_behind[i]), "goroutine %d ran before the blocking one started its call: "
                  "nothing was queued behind a blocked thread", i);
    }
    ST(stop, 1);
    return 0;
}

static int queued_timer(int argc, char **argv)
{
    (void)argc; (void)argv;
    setup();
    go(blocker, NULL);      /* runs on this processor while main sleeps */
    gort_sleep(MS(5));
    int64_t late = now_ns() - t0 - MS(5);
    CHECK_MSG(late < MS(100), "gort_sleep(5 ms) woke %.1f ms late", (double)late / 1e6);
    CHECK_MSG(atomic_load(&blocker_in), "the blocking goroutine had not started its call when main woke: its "
              "timer was never behind a blocked thread");
    ST(stop, 1);
    return 0;
}

int main(void)
{
    PRE_SKIP_UNLESS_ASYNC();
    /* both cases run; a failure of the first is reported after the second */
    static char a_err[4096];
    child_out a = run_child(queued_goroutines, 0, MS(10000));
    int a_status = a.status;
    bool a_ok = child_exit_status(&a) == 0;
    snprintf(a_err, sizeof a_err, "%s", a.err);
    free(a.out);
    free(a.err);
    child_out b = run_child(queued_timer, 0, MS(10000));
    if (child_exit_status(&b) != 0) {
        if (!a_ok) check_fdprintf(2, "case 1 failed too (status %#x): %s", a_status, a_err);
        CHILD_FAIL(&b, "case 2: a timer queued behind a blocking call");
    }
    free(b.out);
    free(b.err);
    CHECK_MSG(a_ok, "case 1: goroutines queued behind a blocking call: status %#x; stderr:\n%s", a_status, a_err);
    return 0;
}
