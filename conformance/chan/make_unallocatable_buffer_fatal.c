// A channel buffer within Go's size limit (2^48 bytes) that cannot be
// allocated is not a panic but `fatal error: out of memory` (exit 2), as in
// Go: gort_chan_make(1, 2^47) asks for 128 TiB, more than any machine here
// can give (and than an x86-64 or AArch64 process's default address space).
// The make runs in a goroutine with a recovering deferred call: a runtime
// that panics instead is caught by it and the test exits 1; a runtime that
// somehow hands out the buffer exits 3.
// Sanitizers' allocators abort on such a request unless told to return NULL;
// Valgrind may warn about a "silly" malloc argument (that is fine).
// gort-test: exit=2
// gort-test: stderr=^fatal error: out of memory
// gort-test: env=ASAN_OPTIONS=allocator_may_return_null=1
// gort-test: env=TSAN_OPTIONS=allocator_may_return_null=1
#include "check.h"

static gort_waitgroup wg;

static void rec(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    if (m) {
        check_fdprintf(2, "gort_chan_make(1, 1<<47) panicked \"%s\"; want fatal error: out of memory\n", m);
        _exit(1);
    }
    gort_wg_done(&wg);
}

static void make_big(void *arg)
{
    (void)arg;
    gort_defer(rec, NULL);
    gort_chan *c = gort_chan_make(1, (size_t)1 << 47);
    check_fdprintf(2, "gort_chan_make(1, 1<<47) returned %p (cap %zu); want fatal error: out of memory\n",
                   (void *)c, c ? gort_chan_cap(c) : (size_t)0);
    _exit(3);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 1);
    go(make_big, NULL);
    gort_wg_wait(&wg);
    check_fdprintf(2, "the goroutine ended without a fatal error\n");
    return 1;
}

GORT_MAIN(main_fn)
