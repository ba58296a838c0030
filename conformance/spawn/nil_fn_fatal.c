// gort_go with a NULL function is Go's `go of nil func value`: fatal, exit 2.
// gort-test: exit=2
// gort-test: stderr=go of nil func value
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    void (*volatile fn)(void *) = NULL;
    gort_go(fn, NULL);
    gort_sleep(MS(100));
    check_fdprintf(2, "gort_go(NULL) returned and the program went on\n");
    return 0;
}

GORT_MAIN(main_fn)
