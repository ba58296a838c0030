// gort_wg_go runs fn(arg) in a new goroutine and gort_wg_wait returns after
// it ended, seeing what it wrote (Go's TestWaitGroupGo): one call
// increments a plain int, then 100 calls each fill their own slot of a
// plain array with a value only they compute, each from a goroutine other
// than the caller; after wait every write is visible.  Under
// ThreadSanitizer: no race (the WaitGroup orders them).
#include "check.h"

#define N 100

static int i_plain;
static long slots[N];
static uint64_t ran_on[N];

static void incr(void *arg) { (void)arg; i_plain++; }

static void fill(void *arg)
{
    intptr_t k = (intptr_t)arg;
    slots[k] = (long)k * k + 1;
    ran_on[k] = gort_id();
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_waitgroup wg = {0};
    gort_wg_go(&wg, incr, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(i_plain, 1);

    for (intptr_t k = 0; k < N; k++) gort_wg_go(&wg, fill, (void *)k);
    gort_wg_wait(&wg);
    for (int k = 0; k < N; k++) {
        CHECK_MSG(slots[k] == (long)k * k + 1, "slot %d = %ld after wait", k, slots[k]);
        CHECK_MSG(ran_on[k] != 0 && ran_on[k] != gort_id(), "fn %d ran on goroutine %llu", k,
                  (unsigned long long)ran_on[k]);
    }
    return 0;
}

GORT_MAIN(main_fn)
