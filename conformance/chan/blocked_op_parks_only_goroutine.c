// A blocked channel operation parks only the goroutine: with GOMAXPROCS=1,
// 10 goroutines block in receive (one channel each) and 10 in send on a full
// buffered channel; another goroutine still runs on the single P, sees none
// of them finished, and then sends to each receiver and drains the full
// channel, which completes them all.  A watchdog thread fails the test if
// nothing completes within 10 s.  That the other goroutine runs does not
// show it alone: a goroutine blocking its thread keeps the P only until
// sysmon lends another (~3 ms).  So, before it runs, gort_dump must list
// the 20 as parked (`[chan receive]`, `[chan send]`), and the runtime must
// have fewer threads (gort_stats.threads) than the 20 that blocking them
// would take.
// gort-test: env=GOMAXPROCS=1
#include "check.h"
#include <pthread.h>

#define N 10

static gort_chan *rc[N], *full;
static _Atomic int receivers_done, senders_done, other_saw = -1;
static _Atomic int finished;
static gort_waitgroup wg;

static void receiver(void *arg)
{
    intptr_t i = (intptr_t)arg;
    int64_t v = -1;
    CHECK(gort_chan_recv(rc[i], &v));
    CHECK_EQ_INT(v, i * 3);
    atomic_fetch_add(&receivers_done, 1);
    gort_wg_done(&wg);
}

static void sender(void *arg)
{
    (void)arg;
    int64_t v = 7;
    gort_chan_send(full, &v);
    atomic_fetch_add(&senders_done, 1);
    gort_wg_done(&wg);
}

static void other(void *arg)
{
    (void)arg;
    atomic_store(&other_saw, atomic_load(&receivers_done) + atomic_load(&senders_done));
    for (intptr_t i = 0; i < N; i++) {
        int64_t v = i * 3;
        gort_chan_send(rc[i], &v);
    }
    for (int i = 0; i < N + 1; i++) {
        int64_t v;
        CHECK(gort_chan_recv(full, &v));
    }
    gort_wg_done(&wg);
}

static void *watchdog(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000 && !atomic_load(&finished); i++) usleep(10000);
    if (!atomic_load(&finished)) {
        check_fdprintf(2, "watchdog: goroutines did not finish in 10 s (receivers %d senders %d)\n",
                       atomic_load(&receivers_done), atomic_load(&senders_done));
        _exit(1);
    }
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    pthread_t w;
    CHECK_EQ_INT(pthread_create(&w, NULL, watchdog, NULL), 0);
    full = gort_chan_make(sizeof(int64_t), 1);
    int64_t x = 1;
    gort_chan_send(full, &x);
    gort_wg_add(&wg, 2 * N + 1);
    for (intptr_t i = 0; i < N; i++) {
        rc[i] = gort_chan_make(sizeof(int64_t), 0);
        go(receiver, (void *)i);
        go(sender, NULL);
    }
    gort_sleep(MS(20));               /* all 20 are blocked now */
    char *d = dump_to_string();
    CHECK(d != NULL);
    CHECK_MSG(count_substr(d, "[chan receive]:") == N && count_substr(d, "[chan send]:") == N,
              "want %d goroutines parked in [chan receive] and %d in [chan send]:\n%.1500s", N, N, d);
    free(d);
    gort_stats s = stats_now();
    NOTE("%lld threads with %d goroutines blocked in channel operations\n", (long long)s.threads, 2 * N);
    CHECK_MSG(s.threads < N, "%lld threads for %d blocked goroutines at GOMAXPROCS=1", (long long)s.threads, 2 * N);
    go(other, NULL);
    gort_wg_wait(&wg);
    atomic_store(&finished, 1);
    CHECK_EQ_INT(atomic_load(&other_saw), 0);
    CHECK_EQ_INT(atomic_load(&receivers_done), N);
    CHECK_EQ_INT(atomic_load(&senders_done), N);
    CHECK_EQ_INT(pthread_join(w, NULL), 0);
    for (int i = 0; i < N; i++) gort_chan_unref(rc[i]);
    gort_chan_unref(full);
    return 0;
}

GORT_MAIN(main_fn)
