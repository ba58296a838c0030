// With GOMAXPROCS=1 two CPU-bound goroutines never run at the same time: a
// shared log shows each one's stretch between two yields as one unbroken
// block, even when a stretch lasts long enough (200 us) for another thread to
// have run.  And yields do interleave them.
// Asynchronous preemption is off: a stretch slowed past a time slice (under
// qemu) could be interrupted, which is Go's behaviour too.
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
#include "check.h"

#define ROUNDS 200
#define PER 16          /* log entries per stretch between yields */

static _Atomic int logbuf[2 * ROUNDS * PER];
static _Atomic int pos;
static _Atomic int in_stretch;
static gort_waitgroup wg;

static void worker(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int r = 0; r < ROUNDS; r++) {
        CHECK_MSG(atomic_fetch_add(&in_stretch, 1) == 0, "two goroutines inside a stretch at once");
        for (int k = 0; k < PER; k++) {
            atomic_store(&logbuf[atomic_fetch_add(&pos, 1)], me);
            if (r % 20 == 0) spin_ns(US(200) / PER);
        }
        atomic_fetch_sub(&in_stretch, 1);
        gort_yield();
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    gort_wg_add(&wg, 2);
    go(worker, (void *)1);
    go(worker, (void *)2);
    gort_wg_wait(&wg);
    int n = atomic_load(&pos);
    CHECK_EQ_INT(n, 2 * ROUNDS * PER);
    int switches = 0;
    for (int i = 0; i < n; i++) {
        int blockstart = i - i % PER;
        CHECK_MSG(logbuf[i] == logbuf[blockstart], "entry %d (goroutine %d) interrupts a stretch of goroutine %d",
                  i, logbuf[i], logbuf[blockstart]);
        if (i % PER == 0 && i > 0 && logbuf[i] != logbuf[i - 1]) switches++;
    }
    CHECK_MSG(switches >= ROUNDS, "only %d switches between the goroutines at %d yields each", switches, ROUNDS);
    return 0;
}

GORT_MAIN(main_fn)
