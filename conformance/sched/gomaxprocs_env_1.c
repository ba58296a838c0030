// The GOMAXPROCS environment variable sets the initial number of Ps (1),
// whatever the number of CPUs; gort_stats.procs agrees.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    CHECK_EQ_INT(gort_gomaxprocs(-1), 1);
    CHECK_EQ_INT(stats_now().procs, 1);
    return 0;
}

GORT_MAIN(main_fn)
