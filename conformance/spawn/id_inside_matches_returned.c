// gort_id() inside a goroutine equals the id gort_go returned for it.
#include "check.h"

#define N 2000

static gort_waitgroup started, wg;
static gort_waitgroup gate;
static _Atomic uint64_t seen[N];
static uint64_t returned[N];

static void body(void *arg)
{
    intptr_t i = (intptr_t)arg;
    uint64_t me = gort_id();
    atomic_store(&seen[i], me);
    gort_wg_done(&started);
    gort_wg_wait(&gate);          /* park, then check the id once more */
    CHECK_EQ_U64(gort_id(), me);
    gort_yield();
    CHECK_EQ_U64(gort_id(), me);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&started, N);
    gort_wg_add(&wg, N);
    gort_wg_add(&gate, 1);
    for (intptr_t i = 0; i < N; i++) returned[i] = go(body, (void *)i);
    gort_wg_wait(&started);
    for (int i = 0; i < N; i++)
        CHECK_MSG(atomic_load(&seen[i]) == returned[i], "goroutine %d: gort_id()=%llu, go returned %llu",
                  i, (unsigned long long)atomic_load(&seen[i]), (unsigned long long)returned[i]);
    gort_wg_done(&gate);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
