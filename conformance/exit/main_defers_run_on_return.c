// main's deferred calls run, LIFO, when main returns, before the process exits
// with main's status.
// gort-test: exit=3
// gort-test: stdout=^defer2 defer1 end$
#include "check.h"

static void d(void *arg)
{
    const char *s = arg;
    check_write_all_(1, s, strlen(s));
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_defer(d, (void *)"defer1 end\n");
    gort_defer(d, (void *)"defer2 ");
    return 3;
}

GORT_MAIN(main_fn)
