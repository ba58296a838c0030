// gort_num_goroutine counts main plus every goroutine from the moment go
// returns (spawned but not yet run included) until it has ended, and never
// counts goroutines the runtime runs for itself.
// Asynchronous preemption is off: it could interrupt main's loop and run one.
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
#include "check.h"

#define N 100

static gort_waitgroup gate, wg;
static _Atomic int ran;

static void body(void *arg)
{
    (void)arg;
    atomic_fetch_add(&ran, 1);
    gort_wg_wait(&gate);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_num_goroutine(), 1);
    gort_sleep(MS(5));                       /* runtime helpers may have started by now */
    CHECK_EQ_INT(gort_num_goroutine(), 1);
    gort_wg_add(&gate, 1);
    gort_wg_add(&wg, N);
    for (int i = 0; i < N; i++) {
        go(body, NULL);
        CHECK_EQ_INT(gort_num_goroutine(), i + 2);
    }
    CHECK_EQ_INT(atomic_load(&ran), 0);      /* GOMAXPROCS=1: none ran yet, all counted */
    int64_t end = now_ns() + MS(5000);       /* main parks: now they run and park */
    while (atomic_load(&ran) < N && now_ns() < end) gort_sleep(MS(1));
    CHECK_EQ_INT(atomic_load(&ran), N);
    CHECK_EQ_INT(gort_num_goroutine(), N + 1);
    gort_wg_done(&gate);
    gort_wg_wait(&wg);
    int left = wait_num_goroutine_at_most(1, MS(5000));
    CHECK_MSG(left == 1, "%d goroutines still counted 5 s after all ended", left);
    return 0;
}

GORT_MAIN(main_fn)
