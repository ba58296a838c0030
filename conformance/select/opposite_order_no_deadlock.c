// Locking several channels does not deadlock: with GOMAXPROCS=2, goroutine A
// selects over {send a, recv b} and goroutine B over {send b, recv a} (the
// same channels in opposite case order), 100,000 rounds each; a second pair
// does the same on buffered channels c, d.  Meanwhile two spinners run
// non-blocking selects receiving from {a, b, c, d} and {d, c, b, a} (opposite
// orders again), yielding between tries, so that selects over the same
// channels really overlap on both Ps.  Everything finishes (a watchdog thread
// fails the test after 20 s) and the counts match: every value sent was
// received once.
// gort-test: env=GOMAXPROCS=2
#include "check.h"
#include <pthread.h>

#define ROUNDS 100000

typedef struct { gort_chan *x, *y; long sent, recvd; } side;
static side sides[4];
static gort_chan *chs[4];
static long spin_recvd[2];
static _Atomic int stop, finished;
static gort_waitgroup wg, spin_wg;

static void run_side(void *arg)
{
    side *s = (side *)arg;
    for (int i = 0; i < ROUNDS; i++) {
        int64_t out = i, in = -1;
        gort_case cs[2] = {{GORT_SEND, s->x, &out, false}, {GORT_RECV, s->y, &in, false}};
        int idx = gort_select(cs, 2, true);
        if (idx == 0) s->sent++;
        else { CHECK_EQ_INT(idx, 1); s->recvd++; }
    }
    gort_wg_done(&wg);
}

static void spinner(void *arg)
{
    intptr_t me = (intptr_t)arg;
    int64_t v[4];
    gort_case cs[4];
    for (int i = 0; i < 4; i++) cs[i] = (gort_case){GORT_RECV, chs[me ? 3 - i : i], &v[i], false};
    while (!atomic_load(&stop)) {
        if (gort_select(cs, 4, false) >= 0) spin_recvd[me]++;
        gort_yield();
    }
    gort_wg_done(&spin_wg);
}

static void *watchdog(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000 && !atomic_load(&finished); i++) usleep(10000);
    if (!atomic_load(&finished)) {
        check_fdprintf(2, "watchdog: selects over the same channels in opposite orders did not finish in 20 s\n");
        _exit(1);
    }
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    pthread_t w;
    CHECK_EQ_INT(pthread_create(&w, NULL, watchdog, NULL), 0);
    chs[0] = gort_chan_make(sizeof(int64_t), 0);
    chs[1] = gort_chan_make(sizeof(int64_t), 0);
    chs[2] = gort_chan_make(sizeof(int64_t), 1);
    chs[3] = gort_chan_make(sizeof(int64_t), 1);
    sides[0] = (side){chs[0], chs[1], 0, 0};
    sides[1] = (side){chs[1], chs[0], 0, 0};
    sides[2] = (side){chs[2], chs[3], 0, 0};
    sides[3] = (side){chs[3], chs[2], 0, 0};
    gort_wg_add(&spin_wg, 2);
    go(spinner, (void *)(intptr_t)0);
    go(spinner, (void *)(intptr_t)1);
    gort_wg_add(&wg, 4);
    for (int i = 0; i < 4; i++) go(run_side, &sides[i]);
    gort_wg_wait(&wg);
    atomic_store(&stop, 1);
    gort_wg_wait(&spin_wg);
    atomic_store(&finished, 1);
    CHECK_EQ_INT(pthread_join(w, NULL), 0);

    long sent = 0, recvd = spin_recvd[0] + spin_recvd[1];
    for (int i = 0; i < 4; i++) {
        sent += sides[i].sent;
        recvd += sides[i].recvd;
    }
    int64_t v;
    for (int i = 2; i < 4; i++)
        while (gort_chan_try_recv(chs[i], &v, NULL)) recvd++;
    NOTE("sent %ld, received %ld (spinners %ld + %ld)\n", sent, recvd, spin_recvd[0], spin_recvd[1]);
    CHECK_EQ_INT(sent, recvd);
    for (int i = 0; i < 4; i++) gort_chan_unref(chs[i]);
    return 0;
}

GORT_MAIN(main_fn)
