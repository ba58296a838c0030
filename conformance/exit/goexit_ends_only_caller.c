// gort_exit ends only the calling goroutine: others (running, runnable and
// parked) go on and finish their work, and main continues.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define OTHERS 50

static gort_waitgroup wg, gate;
static _Atomic int others_done;
static _Atomic int exited_reached_end;

static void quitter(void *arg)
{
    (void)arg;
    gort_sleep(MS(5));
    gort_exit();
}

static void quitter_wrap(void *arg)
{
    quitter(arg);
    atomic_store(&exited_reached_end, 1);
}

static void other(void *arg)
{
    intptr_t i = (intptr_t)arg;
    if (i % 2) gort_wg_wait(&gate);          /* parked while the quitter exits */
    for (int k = 0; k < 20; k++) {
        gort_sleep(US(500));
        gort_yield();
    }
    atomic_fetch_add(&others_done, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&gate, 1);
    gort_wg_add(&wg, OTHERS);
    for (intptr_t i = 0; i < OTHERS; i++) go(other, (void *)i);
    for (int q = 0; q < 5; q++) go(quitter_wrap, NULL);
    gort_sleep(MS(20));                      /* quitters have exited by now */
    gort_wg_done(&gate);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&others_done), OTHERS);
    CHECK_EQ_INT(atomic_load(&exited_reached_end), 0);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    CHECK_EQ_U64(gort_id(), 1);
    return 0;
}

GORT_MAIN(main_fn)
