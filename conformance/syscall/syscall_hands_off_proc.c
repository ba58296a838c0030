// A goroutine inside gort_syscall_enter/exit does not hold its P: with
// GOMAXPROCS=1, while one goroutine is "in a system call", another runs.
//
// The call here is one sysmon could never have lent a P for, so only the
// brackets can hand the P off: it burns CPU (a busy wait, no gort call, no
// system call but the vDSO clock) until the other goroutine has run.  A
// thread blocked in the kernel WITHOUT the brackets also gets a P after
// ~3 ms (sysmon's loan, check_blocked), but only while /proc says it sleeps
// (S or D) and its CPU time stands still; this thread is running (R) all
// along.  Asynchronous preemption, the other way a goroutine that never
// calls gort loses its P, is off (GORT_ASYNCPREEMPT=0).  Without the
// brackets' hand-off the other goroutine never runs and the call gives up
// after 10 s.
//
// Then the documented use, a read() on a pipe inside the brackets whose
// byte another goroutine writes (that half alone would also pass through
// sysmon's loan: it checks that the call's result and the goroutine come
// back through gort_syscall_exit after a real blocking call).
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
// gort-test: timeout=60
#include "check.h"

static int p[2];
static gort_waitgroup wg;
static _Atomic int in_call, other_ran;
static _Atomic int64_t in_call_at, other_ran_at;

static void spinner(void *arg)
{
    (void)arg;
    gort_syscall_enter();
    atomic_store(&in_call_at, now_ns());
    atomic_store(&in_call, 1);
    int64_t give_up = now_ns() + MS(10000);
    while (!atomic_load(&other_ran) && now_ns() < give_up) cpu_relax();
    gort_syscall_exit();
    CHECK_MSG(atomic_load(&other_ran), "GOMAXPROCS=1: nothing else ran during 10 s inside "
                                       "gort_syscall_enter/exit");
    gort_wg_done(&wg);
}

static void other(void *arg)
{
    (void)arg;
    /* If this runs first, it lets the spinner run and enter its call. */
    while (!atomic_load(&in_call)) gort_yield();
    atomic_store(&other_ran_at, now_ns());
    atomic_store(&other_ran, 1);
    gort_wg_done(&wg);
}

static void reader(void *arg)
{
    (void)arg;
    char c = 0;
    gort_syscall_enter();
    ssize_t r = read(p[0], &c, 1);
    gort_syscall_exit();
    CHECK_EQ_INT(r, 1);
    CHECK_EQ_INT(c, 'x');
    gort_wg_done(&wg);
}

static void writer(void *arg)
{
    (void)arg;
    gort_sleep(MS(50));
    CHECK_EQ_INT(write(p[1], "x", 1), 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);

    gort_wg_add(&wg, 2);
    go(spinner, NULL);
    go(other, NULL);
    gort_wg_wait(&wg);
    NOTE("the other goroutine ran %lld us after the call began\n",
         (long long)((atomic_load(&other_ran_at) - atomic_load(&in_call_at)) / 1000));

    CHECK_EQ_INT(pipe(p), 0);
    gort_wg_add(&wg, 2);
    go(reader, NULL);
    go(writer, NULL);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
