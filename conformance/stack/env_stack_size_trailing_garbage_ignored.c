// GORT_STACK_SIZE must be a whole size: a number, an optional k/m/g suffix
// and an optional "i"/"B"/"iB" after it, nothing more.  "96KiBx" (text
// after the unit) is reported on stderr and ignored; the default is used.
// gort-test: env=GORT_STACK_SIZE=96KiBx
// gort-test: stderr=^gort: ignoring GORT_STACK_SIZE=96KiBx: want a size in bytes
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    return 0;
}

GORT_MAIN(main_fn)
