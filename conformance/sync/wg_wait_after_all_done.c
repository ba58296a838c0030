// gort_wg_wait returns only after every gort_wg_done: 200 goroutines each do
// some work (sleeping a random 0-3 ms) and record it before done; when wait
// returns all 200 records are there.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define N 200

static gort_waitgroup wg;
static _Atomic int done_flags[N];
static _Atomic int count;

static void worker(void *arg)
{
    intptr_t i = (intptr_t)arg;
    uint64_t r = (uint64_t)i * 7919 + 1;
    gort_sleep((int64_t)(rand_next(&r) % US(3000)));
    atomic_store(&done_flags[i], 1);
    atomic_fetch_add(&count, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, N);
    for (intptr_t i = 0; i < N; i++) go(worker, (void *)i);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&count), N);
    for (int i = 0; i < N; i++) CHECK(atomic_load(&done_flags[i]) == 1);
    return 0;
}

GORT_MAIN(main_fn)
