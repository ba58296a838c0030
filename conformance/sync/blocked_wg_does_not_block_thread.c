// A goroutine blocked on a WaitGroup parks, it does not block its thread: with
// GOMAXPROCS=1, A waits (gort_dump lists it as `[sync.WaitGroup.Wait]`: that
// B runs would not show it alone, as sysmon lends a P in place of a thread
// blocked in the kernel after ~3 ms); B (which can only run on the same
// single P) runs, and it is B's done that releases A.
// gort-test: env=GOMAXPROCS=1
#include "check.h"

static gort_waitgroup wg, fin;
static _Atomic int a_released, b_ran;

static void a(void *arg)
{
    (void)arg;
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&b_ran), 1);
    atomic_store(&a_released, 1);
    gort_wg_done(&fin);
}

static void b(void *arg)
{
    (void)arg;
    atomic_store(&b_ran, 1);
    gort_wg_done(&wg);
    gort_wg_done(&fin);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 1);
    gort_wg_add(&fin, 2);
    uint64_t ida = go(a, NULL);
    gort_sleep(MS(10));              /* A is parked now */
    CHECK_EQ_INT(atomic_load(&a_released), 0);
    char *d = dump_to_string(), head[64];
    CHECK(d != NULL);
    snprintf(head, sizeof head, "goroutine %llu [sync.WaitGroup.Wait]:", (unsigned long long)ida);
    CHECK_STR_CONTAINS(d, head);
    free(d);
    go(b, NULL);
    gort_wg_wait(&fin);
    CHECK_EQ_INT(atomic_load(&a_released), 1);
    return 0;
}

GORT_MAIN(main_fn)
