// A buffered send blocks only while the buffer is full: for several
// capacities a goroutine sends cap+1 values; the first cap complete at once
// (len == cap), the last one stays blocked while main sleeps, and completes
// as soon as main receives one value.  try_send succeeds exactly cap times on
// an empty buffer.
#include "check.h"

static gort_chan *c;
static _Atomic int done_sends;
static size_t cur_cap;
static gort_waitgroup wg;

static void sender(void *arg)
{
    (void)arg;
    for (size_t i = 0; i <= cur_cap; i++) {
        int64_t v = (int64_t)i;
        gort_chan_send(c, &v);
        atomic_fetch_add(&done_sends, 1);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    static const size_t caps[] = {1, 2, 5, 64, 1000};
    for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        cur_cap = caps[k];
        c = gort_chan_make(sizeof(int64_t), cur_cap);
        CHECK_EQ_INT(gort_chan_cap(c), cur_cap);
        atomic_store(&done_sends, 0);
        gort_wg_add(&wg, 1);
        go(sender, NULL);
        /* the first cap sends never block: wait (bounded) until they are in */
        int64_t end = now_ns() + 5000000000LL;
        while ((size_t)atomic_load(&done_sends) < cur_cap && now_ns() < end) gort_sleep(US(200));
        CHECK_MSG((size_t)atomic_load(&done_sends) == cur_cap, "cap %zu: %d sends done", cur_cap,
                  atomic_load(&done_sends));
        gort_sleep(MS(30));
        CHECK_MSG((size_t)atomic_load(&done_sends) == cur_cap,
                  "cap %zu: send into a full buffer returned (%d done)", cur_cap, atomic_load(&done_sends));
        CHECK_EQ_INT(gort_chan_len(c), cur_cap);
        int64_t v = -1;
        CHECK(gort_chan_recv(c, &v));
        CHECK_EQ_INT(v, 0);
        gort_wg_wait(&wg);
        CHECK_EQ_INT(atomic_load(&done_sends), cur_cap + 1);
        CHECK_EQ_INT(gort_chan_len(c), cur_cap);
        for (size_t i = 1; i <= cur_cap; i++) {
            CHECK(gort_chan_recv(c, &v));
            CHECK_EQ_INT(v, i);
        }
        CHECK_EQ_INT(gort_chan_len(c), 0);

        /* try_send: exactly cap successes on an empty buffer */
        size_t ok = 0;
        for (size_t i = 0; i < cur_cap + 5; i++) {
            int64_t x = (int64_t)i;
            if (gort_chan_try_send(c, &x)) ok++;
        }
        CHECK_EQ_INT(ok, cur_cap);
        CHECK_EQ_INT(gort_chan_len(c), cur_cap);
        gort_chan_unref(c);
    }
    return 0;
}

GORT_MAIN(main_fn)
