// Unbuffered channel: a send completes only when a receiver takes the value.
// A goroutine sends on a cap-0 channel and sets a flag after the send
// returns; while main sleeps (no receiver) the flag stays 0 and len stays 0;
// main then receives, gets the value, and only then does the flag become 1.
// The reverse holds too: a receiver waits until a sender comes.
#include "check.h"

static gort_chan *c;
static _Atomic int sent, got_recv;
static int64_t recv_val;
static gort_waitgroup wg;

static void sender(void *arg)
{
    (void)arg;
    int64_t v = 4242;
    gort_chan_send(c, &v);
    atomic_store(&sent, 1);
    gort_wg_done(&wg);
}

static void receiver(void *arg)
{
    (void)arg;
    int64_t v = 0;
    CHECK(gort_chan_recv(c, &v));
    recv_val = v;
    atomic_store(&got_recv, 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    c = gort_chan_make(sizeof(int64_t), 0);
    CHECK(c != NULL);
    CHECK_EQ_INT(gort_chan_cap(c), 0);

    /* sender first */
    gort_wg_add(&wg, 1);
    go(sender, NULL);
    for (int i = 0; i < 5; i++) {
        gort_sleep(MS(20));
        CHECK_MSG(atomic_load(&sent) == 0, "send returned with no receiver (after %d ms)", 20 * (i + 1));
        CHECK_EQ_INT(gort_chan_len(c), 0);
    }
    int64_t v = 0;
    CHECK(gort_chan_recv(c, &v));
    CHECK_EQ_INT(v, 4242);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&sent), 1);

    /* receiver first */
    gort_wg_add(&wg, 1);
    go(receiver, NULL);
    for (int i = 0; i < 3; i++) {
        gort_sleep(MS(20));
        CHECK_MSG(atomic_load(&got_recv) == 0, "recv returned with no sender");
    }
    v = 777;
    gort_chan_send(c, &v);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&got_recv), 1);
    CHECK_EQ_INT(recv_val, 777);
    gort_chan_unref(c);
    return 0;
}

GORT_MAIN(main_fn)
