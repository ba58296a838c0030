// gort_gomaxprocs(n) sets the number of Ps and returns the previous value;
// n < 1 only queries; the new value has taken effect when it returns
// (gort_stats.procs agrees at once).
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int initial = gort_gomaxprocs(0);
    CHECK(initial >= 1);
    CHECK_EQ_INT(gort_gomaxprocs(3), initial);
    CHECK_EQ_INT(gort_gomaxprocs(0), 3);
    CHECK_EQ_INT(gort_gomaxprocs(-5), 3);
    CHECK_EQ_INT(stats_now().procs, 3);
    CHECK_EQ_INT(gort_gomaxprocs(1), 3);
    CHECK_EQ_INT(stats_now().procs, 1);
    CHECK_EQ_INT(gort_gomaxprocs(1), 1);      /* same value */
    CHECK_EQ_INT(gort_gomaxprocs(8), 1);
    CHECK_EQ_INT(stats_now().procs, 8);
    CHECK_EQ_INT(gort_gomaxprocs(initial), 8);
    CHECK_EQ_INT(gort_gomaxprocs(0), initial);
    gort_yield();
    gort_sleep(MS(1));
    CHECK_EQ_INT(gort_gomaxprocs(0), initial);
    return 0;
}

GORT_MAIN(main_fn)
