// Closing a channel wakes a select blocked on it: the receive case on the
// closed channel completes with ok false and elem zero-filled, and the other
// cases are not performed.  10 selects blocked at once all wake.
#include "check.h"

#define G 10

static gort_chan *a, *b;
static _Atomic int returned, good;
static gort_waitgroup wg;

static void selecter(void *arg)
{
    (void)arg;
    int64_t ea = -1, eb = -1;
    gort_case cs[2] = {{GORT_RECV, a, &ea, true}, {GORT_RECV, b, &eb, true}};
    int idx = gort_select(cs, 2, true);
    if (idx == 1 && !cs[1].ok && eb == 0 && ea == -1) atomic_fetch_add(&good, 1);
    else check_fdprintf(2, "select returned %d ok %d ea %lld eb %lld\n", idx, (int)cs[idx < 0 ? 0 : idx].ok,
                        (long long)ea, (long long)eb);
    atomic_fetch_add(&returned, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    a = gort_chan_make(sizeof(int64_t), 0);
    b = gort_chan_make(sizeof(int64_t), 2);
    gort_wg_add(&wg, G);
    for (int i = 0; i < G; i++) go(selecter, NULL);
    gort_sleep(MS(30));
    CHECK_EQ_INT(atomic_load(&returned), 0);
    gort_chan_close(b);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&good), G);
    gort_chan_unref(a);
    gort_chan_unref(b);
    return 0;
}

GORT_MAIN(main_fn)
