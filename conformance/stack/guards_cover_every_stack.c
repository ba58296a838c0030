// Every stack has overflow protection, and gort_stats says how: with 1,000
// default stacks, 10 of 256 KiB and 100 sub-page stacks alive, the guards
// counted (kernel guard pages + mprotect guards + canaries) cover all 1,110.
// Where the kernel supports MADV_GUARD_INSTALL (Linux 6.13+, probed here),
// the runtime uses it.
#include "check.h"
#include <sys/mman.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

static gort_waitgroup gate, parked, fin;

static void body(void *arg)
{
    (void)arg;
    gort_wg_done(&parked);
    gort_wg_wait(&gate);
    gort_wg_done(&fin);
}

static bool kernel_has_guard_install(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return false;
    bool ok = madvise(p, pg, MADV_GUARD_INSTALL) == 0;
    if (ok) {
        /* qemu-user says yes and installs nothing: the guard must make the
         * page unreadable (write(2) from it fails with EFAULT) */
        int fd[2];
        ok = pipe(fd) == 0;
        if (ok) {
            ok = write(fd[1], p, 1) < 0 && errno == EFAULT;
            close(fd[0]);
            close(fd[1]);
        }
    }
    munmap(p, 4 * pg);
    return ok;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    /* sanitizer-instrumented runtime code needs more than 2 KiB to park */
    gort_go_opts big = { 256 * 1024, NULL }, tiny = { CHECK_SANITIZED ? 16384 : 2048, NULL };
    int n = 0;
    gort_wg_add(&gate, 1);
    gort_wg_add(&parked, 1110);
    gort_wg_add(&fin, 1110);
    for (int i = 0; i < 1000; i++, n++) go(body, NULL);
    for (int i = 0; i < 10; i++, n++) gort_go_at(body, NULL, &big, __FILE__, __LINE__);
    for (int i = 0; i < 100; i++, n++) gort_go_at(body, NULL, &tiny, __FILE__, __LINE__);
    gort_wg_wait(&parked);
    gort_stats s = stats_now();
    int64_t sum = s.stack_guards_kernel + s.stack_guards_mprotect + s.stack_guards_canary;
    NOTE("guards: kernel %lld, mprotect %lld, canary %lld for %d live goroutines\n", (long long)s.stack_guards_kernel,
         (long long)s.stack_guards_mprotect, (long long)s.stack_guards_canary, n);
    CHECK_MSG(sum >= n, "guards for %lld stacks, %d goroutines alive", (long long)sum, n);
    if (kernel_has_guard_install())
        CHECK_MSG(s.stack_guards_kernel > 0, "the kernel supports MADV_GUARD_INSTALL but no stack uses it");
    else
        NOTE("this kernel has no MADV_GUARD_INSTALL\n");
    gort_wg_done(&gate);
    gort_wg_wait(&fin);
    return 0;
}

GORT_MAIN(main_fn)
