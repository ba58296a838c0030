// RUnlock of an RWMutex that is not read-locked is fatal with Go's wording.
// gort-test: exit=2
// gort-test: stderr=fatal error: sync: RUnlock of unlocked RWMutex
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_rwmutex rw = {0};
    gort_rwmutex_rlock(&rw);
    gort_rwmutex_runlock(&rw);
    gort_rwmutex_runlock(&rw);
    gort_sleep(MS(50));
    check_fdprintf(2, "RUnlock of unlocked RWMutex was not fatal\n");
    return 0;
}

GORT_MAIN(main_fn)
