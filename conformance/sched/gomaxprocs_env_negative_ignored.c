// GOMAXPROCS=-3 in the environment is not a positive number: it is ignored,
// as Go ignores it, and the initial value is gort_num_cpu().
// gort-test: env=GOMAXPROCS=-3
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK(gort_num_cpu() >= 1);
    CHECK_EQ_INT(gort_gomaxprocs(0), gort_num_cpu());
    CHECK_EQ_INT(stats_now().procs, gort_num_cpu());
    return 0;
}

GORT_MAIN(main_fn)
