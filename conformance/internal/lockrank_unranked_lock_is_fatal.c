// Every runtime lock must be given a rank before its first use
// (RT_LOCK_INIT or rt_lock_init): in a build that checks ranks (Debug), a
// lock without one ends the program with a fatal error naming it, so a new
// lock cannot escape the order by being forgotten.  Builds without the
// checker skip.
// gort-test: exit=2
// gort-test: stderr=^fatal error: runtime lock 0x[0-9a-f]+ taken without a rank
#include "export_test.h"

static rt_lock unranked;   /* zero: no rank */

int main(void)
{
    if (!lockrank_enabled)
        SKIP("this build does not check lock ranks (Debug builds do)");
    rt_lock_acquire(&unranked);
    fprintf(stderr, "a lock without a rank was taken unreported\n");
    return 0;
}
