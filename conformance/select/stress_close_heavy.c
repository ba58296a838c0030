// Stress: channels closed under traffic, GOMAXPROCS=4.  Each round makes 4
// channels (caps 0, 1, 3, 8); 8 senders push distinct values with
// gort_chan_send (a send that panics `send on closed channel` is recovered and
// ends the sender: that value was not sent); 4 receivers loop on
// gort_chan_recv until false; 4 more receive with a select over all 4
// channels, turning each closed channel's case into a NULL case, until all
// are closed; a closer sleeps a random moment and closes the 4 channels in
// random order.  Receivers yield after each value, so senders are often
// blocked when the close comes.  Every receiver returns; every value whose send returned is
// received exactly once, and no other value is received.  Runs ~2 s.
// gort-test: labels=stress
// gort-test: env=GOMAXPROCS=4
// gort-test: timeout=60
#include "check.h"

#define NCH 4
#define S 8
#define PER 1000
#define RP 4
#define RS 4
#define NV (S * PER)

static gort_chan *ch[NCH];
static _Atomic unsigned char sent_ok[NV], received[NV];
static _Atomic long panics, other_msgs;
static gort_waitgroup wg;
static int round_no;

static void sender_rec(void *arg)
{
    (void)arg;
    const char *m = gort_recover();
    if (m) {
        if (strstr(m, "send on closed channel")) atomic_fetch_add(&panics, 1);
        else atomic_fetch_add(&other_msgs, 1);
    }
    gort_wg_done(&wg);
}

static void sender(void *arg)
{
    intptr_t id = (intptr_t)arg;
    gort_defer(sender_rec, NULL);
    gort_chan *c = ch[id % NCH];
    for (int64_t i = 0; i < PER; i++) {
        int64_t v = id * PER + i;
        gort_chan_send(c, &v);
        atomic_store(&sent_ok[v], 1);
    }
}

static void got_value(int64_t v)
{
    CHECK_MSG(v >= 0 && v < NV, "round %d: received %lld", round_no, (long long)v);
    CHECK_MSG(atomic_fetch_add(&received[v], 1) == 0, "round %d: value %lld received twice", round_no, (long long)v);
}

static void plain_receiver(void *arg)
{
    gort_chan *c = ch[(intptr_t)arg % NCH];
    int64_t v;
    while (gort_chan_recv(c, &v)) {
        got_value(v);
        gort_yield();                   /* slower than the senders: they block */
    }
    CHECK_EQ_INT(v, 0);
    gort_wg_done(&wg);
}

static void select_receiver(void *arg)
{
    (void)arg;
    int64_t v[NCH];
    gort_case cs[NCH];
    for (int i = 0; i < NCH; i++) cs[i] = (gort_case){GORT_RECV, ch[i], &v[i], false};
    int open = NCH;
    while (open > 0) {
        int idx = gort_select(cs, NCH, true);
        CHECK(idx >= 0 && idx < NCH);
        if (cs[idx].ok) {
            got_value(v[idx]);
            gort_yield();
        } else {
            CHECK_EQ_INT(v[idx], 0);
            cs[idx].ch = NULL;          /* a closed channel's case becomes never ready */
            open--;
        }
    }
    gort_wg_done(&wg);
}

static void closer(void *arg)
{
    uint64_t r = (uint64_t)(uintptr_t)arg;
    gort_sleep((int64_t)(rand_next(&r) % 500) * 1000);       /* 0-0.5 ms */
    int order[NCH] = {0, 1, 2, 3};
    for (int i = NCH - 1; i > 0; i--) {
        int j = (int)(rand_next(&r) % (uint64_t)(i + 1));
        int t = order[i]; order[i] = order[j]; order[j] = t;
    }
    for (int i = 0; i < NCH; i++) {
        gort_chan_close(ch[order[i]]);
        if (rand_next(&r) % 2) gort_yield();
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    static const size_t caps[NCH] = {0, 1, 3, 8};
    int64_t end = now_ns() + 2000000000LL;
    long total_sent = 0;
    int rounds = 0;
    while (rounds < 10 || (now_ns() < end && rounds < 100000)) {
        round_no = rounds;
        for (int i = 0; i < NV; i++) { atomic_store(&sent_ok[i], 0); atomic_store(&received[i], 0); }
        for (int i = 0; i < NCH; i++) ch[i] = gort_chan_make(sizeof(int64_t), caps[i]);
        gort_wg_add(&wg, S + RP + RS + 1);
        for (intptr_t i = 0; i < S; i++) go(sender, (void *)i);
        for (intptr_t i = 0; i < RP; i++) go(plain_receiver, (void *)i);
        for (intptr_t i = 0; i < RS; i++) go(select_receiver, (void *)i);
        go(closer, (void *)(intptr_t)(rounds * 7919 + 1));
        gort_wg_wait(&wg);
        for (int i = 0; i < NV; i++) {
            int s = atomic_load(&sent_ok[i]), r = atomic_load(&received[i]);
            CHECK_MSG(s == r, "round %d: value %d sent %d, received %d times", rounds, i, s, r);
            total_sent += s;
        }
        for (int i = 0; i < NCH; i++) gort_chan_unref(ch[i]);
        rounds++;
    }
    CHECK_EQ_INT(atomic_load(&other_msgs), 0);
    NOTE("%d rounds, %ld values delivered, %ld senders panicked\n", rounds, total_sent, atomic_load(&panics));
    CHECK_MSG(atomic_load(&panics) > 0, "no sender ever hit a closed channel");
    return 0;
}

GORT_MAIN(main_fn)
