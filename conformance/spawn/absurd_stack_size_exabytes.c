// A stack size beyond the address space (1 << 62 bytes, 4 EiB) is refused with
// a clear message naming the stack size, exit 2 — never a crash.  The
// message is the fatal error's own line: "stack" and "size" anywhere would
// also match this file's name in the traceback of any other fatal error.
// gort-test: exit=2
// gort-test: stderr=^fatal error: .*stack.*size
#include "check.h"

static void body(void *arg) { (void)arg; }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_go_opts o = { .stack_size = (size_t)1 << 62, .name = NULL };
    gort_go_at(body, NULL, &o, __FILE__, __LINE__);
    gort_sleep(MS(100));
    check_fdprintf(2, "absurd stack size accepted\n");
    return 0;
}

GORT_MAIN(main_fn)
