// No lost wake-up when two selects race for the same value: in each of 200
// rounds two goroutines loop on a blocking select over the shared channels c
// and d (unbuffered in even rounds, cap 1 in odd) and their own quit channel;
// main sends 500 values, alternately on c and d (so a select woken through one
// channel leaves a stale waiter on the other, which a sender must skip), then
// closes both quit channels.  Every value is
// received exactly once (per-value seen count, total count exact), and main's
// sends never hang.  Then 5,000 rounds of the sharpest form: two goroutines
// each do one blocking select over {c, d}; main sends one value on c, then
// one on d.  Whichever select took c leaves a stale waiter on d; the send on
// d must pass over it to the other select (a lost wake-up would leave main
// and that select blocked for ever).  That phase runs with GOMAXPROCS set to
// 1 at run time, so both selects are parked (main yields to them) before main
// sends, and the winner of c has not yet run again when main sends on d.  GOMAXPROCS=2 so the two selects really run in parallel.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define ROUNDS 200
#define N 500

static gort_chan *c, *d;
static gort_chan *quit[2];
static _Atomic unsigned char seen[N];
static _Atomic long got[2];
static gort_waitgroup wg;

static void selecter(void *arg)
{
    intptr_t me = (intptr_t)arg;
    for (;;) {
        int64_t v = -1;
        gort_case cs[3] = {{GORT_RECV, c, &v, false}, {GORT_RECV, d, &v, false}, {GORT_RECV, quit[me], NULL, false}};
        int idx = gort_select(cs, 3, true);
        if (idx == 2) break;
        CHECK(idx == 0 || idx == 1);
        CHECK(cs[idx].ok);
        CHECK_MSG(v >= 0 && v < N, "received %lld", (long long)v);
        CHECK_MSG(atomic_fetch_add(&seen[v], 1) == 0, "value %lld received twice", (long long)v);
        atomic_fetch_add(&got[me], 1);
    }
    gort_wg_done(&wg);
}

#define ONESHOT_ROUNDS 5000

static _Atomic int oneshot_got[2];

static void oneshot(void *arg)
{
    (void)arg;
    int64_t v = -1;
    gort_case cs[2] = {{GORT_RECV, c, &v, false}, {GORT_RECV, d, &v, false}};
    int idx = gort_select(cs, 2, true);
    CHECK(idx == 0 || idx == 1);
    CHECK(cs[idx].ok);
    CHECK_MSG(v == idx, "case %d received %lld", idx, (long long)v);
    CHECK_MSG(atomic_fetch_add(&oneshot_got[idx], 1) == 0, "value on case %d received twice", idx);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    long total = 0;
    for (int round = 0; round < ROUNDS; round++) {
        c = gort_chan_make(sizeof(int64_t), (size_t)(round % 2));
        d = gort_chan_make(sizeof(int64_t), (size_t)(round % 2));
        for (int i = 0; i < N; i++) atomic_store(&seen[i], 0);
        for (int k = 0; k < 2; k++) {
            quit[k] = gort_chan_make(0, 0);
            atomic_store(&got[k], 0);
        }
        gort_wg_add(&wg, 2);
        go(selecter, (void *)(intptr_t)0);
        go(selecter, (void *)(intptr_t)1);
        for (int64_t i = 0; i < N; i++) gort_chan_send(i % 2 ? d : c, &i);
        /* a buffered value may still be in flight: wait until it is taken */
        int64_t end = now_ns() + 5000000000LL;
        while (gort_chan_len(c) + gort_chan_len(d) > 0 && now_ns() < end) gort_yield();
        CHECK_EQ_INT(gort_chan_len(c) + gort_chan_len(d), 0);
        gort_chan_close(quit[0]);
        gort_chan_close(quit[1]);
        gort_wg_wait(&wg);
        long n = atomic_load(&got[0]) + atomic_load(&got[1]);
        CHECK_MSG(n == N, "round %d: %ld values received, %d sent", round, n, N);
        for (int i = 0; i < N; i++) CHECK_MSG(atomic_load(&seen[i]) == 1, "round %d: value %d seen %d times", round, i, (int)atomic_load(&seen[i]));
        total += n;
        gort_chan_unref(c);
        gort_chan_unref(d);
        gort_chan_unref(quit[0]);
        gort_chan_unref(quit[1]);
    }
    CHECK_EQ_INT(total, (long)ROUNDS * N);

    gort_gomaxprocs(1);
    for (int round = 0; round < ONESHOT_ROUNDS; round++) {
        c = gort_chan_make(sizeof(int64_t), 0);
        d = gort_chan_make(sizeof(int64_t), 0);
        atomic_store(&oneshot_got[0], 0);
        atomic_store(&oneshot_got[1], 0);
        gort_wg_add(&wg, 2);
        go(oneshot, NULL);
        go(oneshot, NULL);
        gort_yield();                   /* both run and park in their selects */
        int64_t v0 = 0, v1 = 1;
        gort_chan_send(c, &v0);
        gort_chan_send(d, &v1);
        gort_wg_wait(&wg);
        CHECK_EQ_INT(atomic_load(&oneshot_got[0]), 1);
        CHECK_EQ_INT(atomic_load(&oneshot_got[1]), 1);
        gort_chan_unref(c);
        gort_chan_unref(d);
    }
    return 0;
}

GORT_MAIN(main_fn)
