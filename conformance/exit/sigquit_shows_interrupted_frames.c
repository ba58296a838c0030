// A SIGQUIT that lands on a thread running a goroutine shows where that
// goroutine was interrupted: its block in the dump, `goroutine N
// [running]:`, starts from the interrupted instruction, so the function it
// was looping in is its first frame.  A plain thread sends SIGQUIT with
// tgkill to the thread of a goroutine spinning in
// spin_in_marked_function (which calls nothing); the process exits 2.
// gort-test: exit=2
// gort-test: stderr=^SIGQUIT: quit
// gort-test: stderr=^spin_in_marked_function\(
// gort-test: timeout=60
#include "check.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

static _Atomic long spinner_tid;
static _Atomic long progress;

CHECK_NOINLINE void spin_in_marked_function(void);
CHECK_NOINLINE void spin_in_marked_function(void)
{
    atomic_store(&spinner_tid, (long)syscall(SYS_gettid));
    /* A relaxed store, not an atomic add: on AArch64 the add is a call to
     * libgcc's __aarch64_ldadd8_relax, a hidden leaf without a frame, and
     * a signal landing there showed `?` as the first frame (1 run of the
     * qemu suite). */
    long n = 0;
    for (;;)
        atomic_store_explicit(&progress, ++n, memory_order_relaxed);
}

static void spinner(void *arg)
{
    (void)arg;
    spin_in_marked_function();
}

static void *sender(void *arg)
{
    (void)arg;
    while (atomic_load(&spinner_tid) == 0 || atomic_load(&progress) < 1000) {
        struct timespec ts = { 0, 1000000L };
        nanosleep(&ts, NULL);
    }
    syscall(SYS_tgkill, (long)getpid(), atomic_load(&spinner_tid), SIGQUIT);
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_TSAN("ThreadSanitizer holds the signal until the spinner calls an interceptor, which it never does");
    go(spinner, NULL);
    pthread_t th;
    CHECK_EQ_INT(pthread_create(&th, NULL, sender, NULL), 0);
    gort_sleep(MS(30000));
    check_fdprintf(2, "no SIGQUIT came\n");
    return 0;
}

GORT_MAIN(main_fn)
