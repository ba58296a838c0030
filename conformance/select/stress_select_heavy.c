// Stress: with GOMAXPROCS=2, 16 goroutines run random selects (1-4 random
// send/receive cases over the same 4 channels of caps 0, 1, 4, 16, plus a
// quit case; blocking or not; some cases duplicated) for about 2 s, while 2
// more use plain try_send/try_recv on the same channels.  Then quit closes,
// the channels are drained: values sent == values received, by count and by
// sum of the values.
// gort-test: labels=stress
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "check.h"

#define G 16
#define T 2
#define NCH 4

static gort_chan *ch[NCH], *quit;
static _Atomic int64_t sent_n, recv_n;
static _Atomic uint64_t sent_sum, recv_sum;   /* unsigned: wrap-around is defined */
static _Atomic int stop;
static gort_waitgroup wg;

static void selecter(void *arg)
{
    uint64_t r = (uint64_t)(uintptr_t)arg * 0x9E3779B97F4A7C15ull + 7;
    uint64_t ss = 0, rs = 0;
    int64_t sn = 0, rn = 0, counter = (int64_t)(uintptr_t)arg << 40;
    for (;;) {
        gort_case cs[5];
        int64_t vals[5];
        int n = 1 + (int)(rand_next(&r) % 4);
        for (int i = 0; i < n; i++) {
            uint64_t x = rand_next(&r);
            int dir = (x & 1) ? GORT_SEND : GORT_RECV;
            vals[i] = dir == GORT_SEND ? ++counter : -1;
            cs[i] = (gort_case){dir, ch[(x >> 1) % NCH], &vals[i], false};
        }
        bool block = (rand_next(&r) % 4) != 0;
        cs[n] = (gort_case){GORT_RECV, quit, NULL, false};
        int idx = gort_select(cs, n + 1, block);
        if (idx == n) break;
        if (idx < 0) {
            if (atomic_load(&stop)) break;
            continue;
        }
        if (cs[idx].dir == GORT_SEND) { sn++; ss += (uint64_t)vals[idx]; }
        else { CHECK(cs[idx].ok); rn++; rs += (uint64_t)vals[idx]; }
    }
    atomic_fetch_add(&sent_n, sn);
    atomic_fetch_add(&sent_sum, ss);
    atomic_fetch_add(&recv_n, rn);
    atomic_fetch_add(&recv_sum, rs);
    gort_wg_done(&wg);
}

static void trier(void *arg)
{
    uint64_t r = (uint64_t)(uintptr_t)arg * 31 + 1;
    uint64_t ss = 0, rs = 0;
    int64_t sn = 0, rn = 0, counter = ((int64_t)(uintptr_t)arg + 100) << 40;
    while (!atomic_load(&stop)) {
        uint64_t x = rand_next(&r);
        gort_chan *c = ch[(x >> 1) % NCH];
        if (x & 1) {
            int64_t v = ++counter;
            if (gort_chan_try_send(c, &v)) { sn++; ss += (uint64_t)v; }
        } else {
            int64_t v = -1;
            bool ok = false;
            if (gort_chan_try_recv(c, &v, &ok)) { CHECK(ok); rn++; rs += (uint64_t)v; }
        }
        if ((x >> 20) % 16 == 0) gort_yield();
    }
    atomic_fetch_add(&sent_n, sn);
    atomic_fetch_add(&sent_sum, ss);
    atomic_fetch_add(&recv_n, rn);
    atomic_fetch_add(&recv_sum, rs);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    static const size_t caps[NCH] = {0, 1, 4, 16};
    for (int i = 0; i < NCH; i++) ch[i] = gort_chan_make(sizeof(int64_t), caps[i]);
    quit = gort_chan_make(0, 0);
    gort_wg_add(&wg, G + T);
    for (intptr_t i = 0; i < G; i++) go(selecter, (void *)(i + 1));
    for (intptr_t i = 0; i < T; i++) go(trier, (void *)(i + 1));
    gort_sleep(MS(2000));
    atomic_store(&stop, 1);
    gort_chan_close(quit);
    gort_wg_wait(&wg);
    int64_t left_n = 0, v;
    uint64_t left_sum = 0;
    for (int i = 0; i < NCH; i++)
        while (gort_chan_try_recv(ch[i], &v, NULL)) { left_n++; left_sum += (uint64_t)v; }
    int64_t sn = atomic_load(&sent_n), rn = atomic_load(&recv_n);
    NOTE("sent %lld, received %lld, left buffered %lld\n", (long long)sn, (long long)rn, (long long)left_n);
    CHECK_MSG(sn > 1000, "only %lld values moved", (long long)sn);
    CHECK_EQ_INT(sn, rn + left_n);
    CHECK_EQ_U64(atomic_load(&sent_sum), atomic_load(&recv_sum) + left_sum);
    for (int i = 0; i < NCH; i++) gort_chan_unref(ch[i]);
    gort_chan_unref(quit);
    return 0;
}

GORT_MAIN(main_fn)
