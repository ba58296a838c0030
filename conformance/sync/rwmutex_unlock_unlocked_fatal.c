// Unlock of an RWMutex that is not write-locked is fatal with Go's wording.
// gort-test: exit=2
// gort-test: stderr=fatal error: sync: Unlock of unlocked RWMutex
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_rwmutex rw = {0};
    gort_rwmutex_lock(&rw);
    gort_rwmutex_unlock(&rw);
    gort_rwmutex_unlock(&rw);
    gort_sleep(MS(50));
    check_fdprintf(2, "Unlock of unlocked RWMutex was not fatal\n");
    return 0;
}

GORT_MAIN(main_fn)
