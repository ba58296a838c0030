// Reference counting: gort_chan_ref returns its argument; a channel ref'd
// once per goroutine lives while any of them holds it, even after the
// creator dropped its own reference at once, and is freed when the last
// unref brings the count to 0 (no crash; ASan runs of the suite check for
// use-after-free and leaks).  Also: channels freed with values still buffered,
// and 10,000 make/unref cycles of every kind.
#include "check.h"

#define PAIRS 50
#define MSGS 200

static gort_waitgroup wg;
static _Atomic long sum;

static void sender(void *arg)
{
    gort_chan *c = (gort_chan *)arg;       /* our own reference */
    for (int64_t i = 1; i <= MSGS; i++) gort_chan_send(c, &i);
    gort_chan_unref(c);
    gort_wg_done(&wg);
}

static void receiver(void *arg)
{
    gort_chan *c = (gort_chan *)arg;
    for (int i = 0; i < MSGS; i++) {
        int64_t v = 0;
        CHECK(gort_chan_recv(c, &v));
        atomic_fetch_add(&sum, v);
        if (i % 50 == 0) gort_yield();
    }
    gort_chan_unref(c);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int round = 0; round < 10; round++) {
        gort_chan *c = gort_chan_make(sizeof(int64_t), (size_t)(round % 3));
        gort_wg_add(&wg, 2 * PAIRS);
        for (int i = 0; i < PAIRS; i++) {
            CHECK(gort_chan_ref(c) == c);
            go(sender, c);
            CHECK(gort_chan_ref(c) == c);
            go(receiver, c);
        }
        gort_chan_unref(c);                 /* creator's reference: others keep it alive */
        gort_wg_wait(&wg);
    }
    CHECK_EQ_INT(atomic_load(&sum), 10L * PAIRS * (MSGS * (MSGS + 1) / 2));

    /* freed with values buffered, closed or not; elem sizes 0, 8, 4096 */
    for (int i = 0; i < 10000; i++) {
        static const size_t sz[] = {0, 8, 4096};
        size_t es = sz[i % 3];
        gort_chan *c = gort_chan_make(es, (size_t)(i % 4));
        static unsigned char buf[4096];
        if (i % 4) gort_chan_send(c, buf);
        gort_chan_ref(c);
        if (i % 2) gort_chan_close(c);
        gort_chan_unref(c);
        gort_chan_unref(c);
    }
    return 0;
}

GORT_MAIN(main_fn)
