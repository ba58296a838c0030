/*
 * parked_goroutines.c — the program the gdb extension's test
 * (conformance/gdb/check_gdb.py) looks at; not a test by itself.
 *
 * It parks about a hundred goroutines, each kind in a function of its own
 * (parked_in_recv, parked_in_send, ...) so that a backtrace can be checked
 * for its name, then keeps one goroutine busy on a second P, leaves a few
 * runnable ones on the run queue, and calls gort_test_stop_here() from the
 * main goroutine: the driver stops there (a breakpoint), runs the gdb
 * commands, writes a core file with gcore and runs them again on it.
 *
 * The parking is done at GOMAXPROCS 1, so that when main runs again every
 * goroutine that counted itself in has parked (nothing runs in parallel
 * with main then); only then does GOMAXPROCS go to 2 for the spinner.  The
 * driver runs it with GORT_ASYNCPREEMPT=0: the spinner must keep its P and
 * the runnable goroutines must stay runnable until the stop.
 *
 * It prints the expected table on stdout, one line per goroutine:
 * "expect ID KIND LINE STATE" (LINE: where it was created), then "done".
 * Without a debugger gort_test_stop_here is a no-op and it exits 0 at once.
 *
 * With GORT_TEST_NO_KERNEL_GUARDS=1 in its environment the stacks get
 * mprotect guards instead of MADV_GUARD_INSTALL ones (Linux 6.13+), for
 * gdb's gcore: it cannot read a mapping with kernel guard pages in it and
 * leaves the whole stack arena out of the core (docs/GDB.md).
 */
#include "check.h"

#include <poll.h>
#include <sys/mman.h>

/* Interposes the runtime's madvise (libgort.a and libgort.so alike): with
 * GORT_TEST_NO_KERNEL_GUARDS set, MADV_GUARD_INSTALL (102) is refused, as a
 * kernel before 6.13 refuses it, so stack.c uses mprotect guards. */
int madvise(void *addr, size_t len, int advice)
{
    if (advice == 102 && getenv("GORT_TEST_NO_KERNEL_GUARDS")) {
        errno = EINVAL;
        return -1;
    }
    return (int)syscall(SYS_madvise, addr, len, advice);
}

#define NOINLINE __attribute__((noinline))

enum {
    N_RECV = 10, N_SEND = 10, N_SELECT = 8, N_SLEEP = 10, N_WG = 8,
    N_MUTEX = 8, N_COND = 8, N_RWMUTEX_R = 4, N_IO = 8, N_RUNNABLE = 8,
    N_NIL = 2, N_SELECT0 = 2, N_NAMED = 4, N_ENDED = 16,
};

static gort_chan *recv_ch, *send_ch, *sel_a, *sel_b, *hold_ch;
static gort_waitgroup never_done;
static gort_mutex held_mu, cond_mu;
static gort_cond cond;
static gort_rwmutex rw;
static int pipe_fds[2], sys_pipe[2];
static atomic_int parked_count;   /* incremented just before each one parks */
static atomic_int spinner_on;
static atomic_int yields;
static gort_waitgroup ended_wg;
static volatile int sink;

/* Where the test's debugger stops the program (a breakpoint). */
NOINLINE void gort_test_stop_here(void)
{
    __asm__ volatile("" ::: "memory");
}

static void about_to_park(void) { atomic_fetch_add(&parked_count, 1); }

/* ---- one function per way of parking ------------------------------------- */

NOINLINE void parked_in_recv(gort_chan *c)
{
    int v = 0;
    about_to_park();
    gort_chan_recv(c, &v);
    sink += v;
}

NOINLINE void parked_in_send(gort_chan *c)
{
    int v = 1;
    about_to_park();
    gort_chan_send(c, &v);
    sink += v;
}

NOINLINE void parked_in_select(void)
{
    int v = 0;
    gort_case cases[2] = { { GORT_RECV, sel_a, &v, false }, { GORT_SEND, sel_b, &v, false } };
    about_to_park();
    sink += gort_select(cases, 2, true);
}

NOINLINE void parked_in_select_no_cases(void)
{
    about_to_park();
    gort_select(NULL, 0, true);
    sink++;
}

NOINLINE void parked_in_nil_recv(void)
{
    int v = 0;
    about_to_park();
    gort_chan_recv(NULL, &v);
    sink += v;
}

NOINLINE void parked_in_sleep(void)
{
    about_to_park();
    gort_sleep(3600 * (int64_t)1000000000);
    sink++;
}

NOINLINE void parked_in_wg_wait(void)
{
    about_to_park();
    gort_wg_wait(&never_done);
    sink++;
}

NOINLINE void parked_in_mutex_lock(void)
{
    about_to_park();
    gort_mutex_lock(&held_mu);
    sink++;
}

NOINLINE void parked_in_cond_wait(void)
{
    gort_mutex_lock(&cond_mu);
    about_to_park();
    gort_cond_wait(&cond, &cond_mu);
    sink++;
}

NOINLINE void parked_in_rwmutex_rlock(void)
{
    about_to_park();
    gort_rwmutex_rlock(&rw);
    sink++;
}

NOINLINE void parked_in_io_wait(void)
{
    about_to_park();
    sink += gort_fd_wait(pipe_fds[0], POLLIN, NULL);
}

/* In a bracketed system call: its thread blocks in read(2), its P moves on. */
NOINLINE void in_syscall_read(void)
{
    char b;
    gort_syscall_enter();
    about_to_park();
    sink += (int)read(sys_pipe[0], &b, 1);
    gort_syscall_exit();
}

/* Holds held_mu (write side of rw too) and parks in a receive. */
NOINLINE void holding_locks(void)
{
    gort_mutex_lock(&held_mu);
    gort_rwmutex_lock(&rw);
    parked_in_recv(hold_ch);
}

NOINLINE void spin_forever(void)
{
    atomic_store(&spinner_on, 1);
    for (;;)
        __asm__ volatile("" ::: "memory");
}

NOINLINE void runnable_never_ran(void)
{
    sink++;
}

/* Runnable after it ran: it yields for ever, and main does not yield again. */
NOINLINE void yield_forever(void)
{
    for (;;) {
        atomic_fetch_add(&yields, 1);
        gort_yield();
    }
}

/* ---- goroutine bodies ------------------------------------------------------ */

enum kind {
    K_RECV, K_SEND, K_SELECT, K_SELECT0, K_NIL, K_SLEEP, K_WG, K_MUTEX, K_COND,
    K_RWMUTEX_R, K_IO, K_SYSCALL, K_HOLDER, K_SPIN, K_RUNNABLE, K_NAMED, K_YIELD,
};
static const char *const kind_names[] = {
    "recv", "send", "select", "select0", "nilrecv", "sleep", "wg", "mutex", "cond",
    "rwmutex_r", "io", "syscall", "holder", "spin", "runnable", "named", "yield",
};
/* The state `info goroutines` must show for each kind. */
static const char *const kind_states[] = {
    "chan receive", "chan send", "select", "select (no cases)", "chan receive (nil chan)",
    "sleep", "sync.WaitGroup.Wait", "sync.Mutex.Lock", "sync.Cond.Wait",
    "sync.RWMutex.RLock", "IO wait", "syscall", "chan receive", "running", "runnable",
    "chan receive", "runnable",
};

static void g_recv(void *a)      { (void)a; parked_in_recv(recv_ch); sink++; }
static void g_send(void *a)      { (void)a; parked_in_send(send_ch); sink++; }
static void g_select(void *a)    { (void)a; parked_in_select(); sink++; }
static void g_select0(void *a)   { (void)a; parked_in_select_no_cases(); sink++; }
static void g_nil(void *a)       { (void)a; parked_in_nil_recv(); sink++; }
static void g_sleep(void *a)     { (void)a; parked_in_sleep(); sink++; }
static void g_wg(void *a)        { (void)a; parked_in_wg_wait(); sink++; }
static void g_mutex(void *a)     { (void)a; parked_in_mutex_lock(); sink++; }
static void g_cond(void *a)      { (void)a; parked_in_cond_wait(); sink++; }
static void g_rwmutex_r(void *a) { (void)a; parked_in_rwmutex_rlock(); sink++; }
static void g_io(void *a)        { (void)a; parked_in_io_wait(); sink++; }
static void g_syscall(void *a)   { (void)a; in_syscall_read(); sink++; }
static void g_holder(void *a)    { (void)a; holding_locks(); sink++; }
static void g_spin(void *a)      { (void)a; spin_forever(); }
static void g_runnable(void *a)  { (void)a; runnable_never_ran(); sink++; }
static void g_yield(void *a)     { (void)a; yield_forever(); }
static void g_ended(void *a)     { (void)a; gort_wg_done(&ended_wg); }

static void (*const kind_fns[])(void *) = {
    g_recv, g_send, g_select, g_select0, g_nil, g_sleep, g_wg, g_mutex, g_cond,
    g_rwmutex_r, g_io, g_syscall, g_holder, g_spin, g_runnable, g_recv, g_yield,
};

/* The expected table, printed for the driver: "ID KIND LINE STATE". */
static void expect(uint64_t id, enum kind k, int line)
{
    printf("expect %" PRIu64 " %s %d %s\n", id, kind_names[k], line, kind_states[k]);
}

/* One spawn per call site line: the creation line is the same for a kind. */
#define SPAWN(k) do { expect(gort_go(kind_fns[k], NULL), (k), __LINE__); } while (0)

static void wait_parked(int n)
{
    while (atomic_load(&parked_count) < n)
        gort_sleep(1000000);
    /* (GOMAXPROCS 1: whoever counted itself has parked by now) */
    gort_sleep(2000000);
}

static int test_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_gomaxprocs(1);
    recv_ch = gort_chan_make(sizeof(int), 0);
    send_ch = gort_chan_make(sizeof(int), 0);
    sel_a = gort_chan_make(sizeof(int), 0);
    sel_b = gort_chan_make(sizeof(int), 0);
    hold_ch = gort_chan_make(sizeof(int), 0);
    CHECK(pipe(pipe_fds) == 0);
    CHECK(pipe(sys_pipe) == 0);
    gort_wg_add(&never_done, 1);
    printf("expect 1 main %d running\n", 0);

    /* the lock holder first, so that the lock waiters park */
    SPAWN(K_HOLDER);
    wait_parked(1);
    int n = 1;
    for (int i = 0; i < N_RECV; i++) SPAWN(K_RECV);
    n += N_RECV;
    for (int i = 0; i < N_SEND; i++) SPAWN(K_SEND);
    n += N_SEND;
    for (int i = 0; i < N_SELECT; i++) SPAWN(K_SELECT);
    n += N_SELECT;
    for (int i = 0; i < N_SELECT0; i++) SPAWN(K_SELECT0);
    n += N_SELECT0;
    for (int i = 0; i < N_NIL; i++) SPAWN(K_NIL);
    n += N_NIL;
    for (int i = 0; i < N_SLEEP; i++) SPAWN(K_SLEEP);
    n += N_SLEEP;
    for (int i = 0; i < N_WG; i++) SPAWN(K_WG);
    n += N_WG;
    for (int i = 0; i < N_MUTEX; i++) SPAWN(K_MUTEX);
    n += N_MUTEX;
    for (int i = 0; i < N_COND; i++) SPAWN(K_COND);
    n += N_COND;
    for (int i = 0; i < N_RWMUTEX_R; i++) SPAWN(K_RWMUTEX_R);
    n += N_RWMUTEX_R;
    for (int i = 0; i < N_IO; i++) SPAWN(K_IO);
    n += N_IO;
    SPAWN(K_SYSCALL);
    n += 1;
    static const char *const names[N_NAMED] = { "worker-a", "worker-b", "worker-c", "worker-d" };
    for (int i = 0; i < N_NAMED; i++) {
        gort_go_opts o = { .stack_size = 0, .name = names[i] };
        uint64_t id = gort_go_at(g_recv, NULL, &o, __FILE__, __LINE__);
        printf("expect %" PRIu64 " named %d chan receive\n", id, __LINE__ - 1);
        printf("name %" PRIu64 " %s\n", id, names[i]);
    }
    n += N_NAMED;
    wait_parked(n);

    /* Some that have ended: their descriptors wait in the free caches (and
     * the next spawns reuse some of them); they must not be listed. */
    for (int i = 0; i < N_ENDED; i++) {
        gort_wg_add(&ended_wg, 1);
        printf("ended %" PRIu64 "\n", gort_go(g_ended, NULL));
    }
    gort_wg_wait(&ended_wg);

    /* one goroutine busy on a second P */
    gort_gomaxprocs(2);
    SPAWN(K_SPIN);
    while (!atomic_load(&spinner_on))
        gort_yield();
    /* one that has run and is runnable again (it yields) */
    SPAWN(K_YIELD);
    while (atomic_load(&yields) == 0)
        gort_yield();
    /* and some that stay runnable: both Ps are busy, nobody steals them */
    for (int i = 0; i < N_RUNNABLE; i++) SPAWN(K_RUNNABLE);
    printf("done\n");
    fflush(stdout);
    gort_test_stop_here();
    _exit(0);
}

GORT_MAIN(test_main)
