// Changing GOMAXPROCS (1 -> 2 -> 1 -> 4 -> 3 -> 1 -> 2 -> 8 ...) from a
// goroutine, while 100,000 goroutines are spawned, run, yield and sleep, loses
// none and runs none twice: every goroutine completes each of its steps
// exactly once and the count is exact; each change returns the previous value.
// gort-test: timeout=60
#include "check.h"

#define N 100000
#define STEPS 3

static _Atomic unsigned char steps[N];
static _Atomic long total;
static gort_waitgroup wg;
static _Atomic int stop_changer;

static void body(void *arg)
{
    intptr_t i = (intptr_t)arg;
    uint64_t me = gort_id();
    for (int s = 0; s < STEPS; s++) {
        CHECK_MSG(atomic_fetch_add(&steps[i], 1) == s, "goroutine %ld step %d ran twice", (long)i, s);
        if (s == 1 && (i % 64) == 0) gort_sleep(US(50));
        else gort_yield();
        CHECK_EQ_U64(gort_id(), me);
    }
    atomic_fetch_add(&total, 1);
    gort_wg_done(&wg);
}

static const int seq[] = { 1, 2, 1, 4, 3, 1, 2, 8, 1, 2 };

static void changer(void *arg)
{
    (void)arg;
    int prev = gort_gomaxprocs(0);
    for (unsigned k = 0; !atomic_load(&stop_changer); k++) {
        int n = seq[k % (sizeof seq / sizeof seq[0])];
        CHECK_EQ_INT(gort_gomaxprocs(n), prev);
        CHECK_EQ_INT(gort_gomaxprocs(0), n);
        prev = n;
        if (k & 1) gort_yield(); else gort_sleep(US(200));
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_TSAN(TSAN_MANY_GOROUTINES);
    SKIP_UNDER_VALGRIND("100,000 goroutines, three steps each: minutes at Valgrind's speed, and the leak check at exit reads every stack");
    int initial = gort_gomaxprocs(0);
    gort_wg_add(&wg, N);
    go(changer, NULL);
    for (intptr_t i = 0; i < N; i++) {
        go(body, (void *)i);
        if ((i & 4095) == 0) gort_yield();          /* let the changer run while spawning */
    }
    gort_wg_wait(&wg);
    atomic_store(&stop_changer, 1);
    CHECK_EQ_INT(atomic_load(&total), N);
    for (int i = 0; i < N; i++) CHECK_MSG(atomic_load(&steps[i]) == STEPS, "goroutine %d ran %d steps", i, atomic_load(&steps[i]));
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_gomaxprocs(initial);
    return 0;
}

GORT_MAIN(main_fn)
