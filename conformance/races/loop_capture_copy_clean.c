// The loop-variable capture bug of loop_capture_reported.c fixed as in Go
// (`i := i`, or the per-iteration variable of Go 1.22): each goroutine gets
// its own copy of the index.  Two ways: the address of its own element,
// go(worker, &ids[i]), written before the go(); and the value itself in the
// argument pointer, go(worker, (void *)(intptr_t)i).  ThreadSanitizer
// reports nothing (what the loop did before go() happens before the
// goroutine starts) and every worker sees its own index exactly once.
// gort-test: env=GOMAXPROCS=2
#include "races/race_run.h"

#define N 8

static int ids[N];
static int seen_by_addr[N], seen_by_value[N];
static gort_waitgroup wg;

static void worker_addr(void *arg)
{
    int id = *(int *)arg;           /* ids[i]: written once, before go() */
    seen_by_addr[id]++;             /* each worker its own slot */
    gort_wg_done(&wg);
}

static void worker_value(void *arg)
{
    int id = (int)(intptr_t)arg;    /* the value travelled in the pointer */
    seen_by_value[id]++;
    gort_wg_done(&wg);
}

static int fixed(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 2 * N);
    for (int i = 0; i < N; i++) {
        ids[i] = i;
        go(worker_addr, &ids[i]);
        go(worker_value, (void *)(intptr_t)i);
    }
    gort_wg_wait(&wg);
    for (int i = 0; i < N; i++)
        if (seen_by_addr[i] != 1 || seen_by_value[i] != 1) return 2;
    return 0;
}

int main(void)
{
    CHECK_MSG(!race_run(fixed), "a race was reported with per-goroutine copies of i:\n%s", race_stderr);
    CHECK_MSG(race_status == 0, "the program failed (status %d):\n%s", race_status, race_stderr);
    return 0;
}
