// The main goroutine started by gort_main has id 1, before and after it parks.
#include "check.h"

static gort_waitgroup wg;
static void child(void *arg) { (void)arg; CHECK(gort_id() != 1); gort_wg_done(&wg); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_U64(gort_id(), 1);
    gort_wg_add(&wg, 1);
    uint64_t id = go(child, NULL);
    CHECK(id != 1);
    gort_wg_wait(&wg);
    CHECK_EQ_U64(gort_id(), 1);
    gort_yield();
    gort_sleep(MS(1));
    CHECK_EQ_U64(gort_id(), 1);
    return 0;
}

GORT_MAIN(main_fn)
