// GORT_STACK_SIZE that is not a whole number of pages is rounded up to the
// next page, never down: 65537 bytes (a page and one byte over 64 KiB on 4
// KiB pages) becomes 69632 (68 KiB).  White-box: the runtime's
// configuration as read at start-up (env.c).
// gort-test: env=GORT_STACK_SIZE=65537
#include "export_test.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    long page = sysconf(_SC_PAGESIZE);
    size_t want = ((size_t)65537 + (size_t)page - 1) / (size_t)page * (size_t)page;
    CHECK_MSG(gort__config.stack_size == want, "GORT_STACK_SIZE=65537 gave %zu bytes, want %zu",
              gort__config.stack_size, want);
    return 0;
}

int main(int argc, char **argv) { return gort_main(main_fn, argc, argv); }
