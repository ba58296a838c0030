// As many goroutines in loops that call nothing as there are processors
// (GOMAXPROCS=2, 2 spinners) do not starve the others: a goroutine reading a
// 1 ms gort_ticker receives at least 20 ticks in 500 ms (about 30 with
// 10 ms slices on a 2-CPU machine), and a goroutine's gort_sleep(5 ms)
// returns within 50 ms of its time (10 sleeps: median under 50 ms, worst
// under 500 ms, see pre.h), while both loops run on.  The ticker's channel
// holds one tick: each tick received is one time the reader got a
// processor.  Without asynchronous preemption neither goroutine ever runs
// once the spinners hold both processors.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=20
#include "pre.h"

#define WINDOW_MS 500
#define MIN_TICKS 20
#define SLEEPS 10

static _Atomic int stop;
static _Atomic long progress[2];
static _Atomic int spinning;
static gort_waitgroup spinners_wg, watchers_wg;
static int ticks;
static int64_t late[SLEEPS];

static void spinner(void *arg)
{
    atomic_fetch_add(&spinning, 1);
    pre_spin_until(&stop, &progress[(intptr_t)arg]);
    gort_wg_done(&spinners_wg);
}

static void tick_reader(void *arg)
{
    (void)arg;
    gort_ticker *t = gort_ticker_new(MS(1));
    int64_t end = now_ns() + MS(WINDOW_MS);
    while (now_ns() < end) {
        CHECK(gort_chan_recv(gort_ticker_chan(t), NULL));
        ticks++;
    }
    gort_ticker_free(t);
    gort_wg_done(&watchers_wg);
}

static void sleeper(void *arg)
{
    (void)arg;
    for (int i = 0; i < SLEEPS; i++) {
        int64_t t0 = now_ns();
        gort_sleep(MS(5));
        late[i] = now_ns() - t0 - MS(5);
    }
    gort_wg_done(&watchers_wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    pre_watchdog_start(MS(10000), "a ticker reader and a sleeper next to 2 spinners at GOMAXPROCS=2");
    gort_wg_add(&spinners_wg, 2);
    go(spinner, (void *)0);
    go(spinner, (void *)1);
    /* both spinners hold a processor before the others start */
    while (LD(spinning) < 2) gort_sleep(US(100));
    long before[2] = { LD(progress[0]), LD(progress[1]) };
    gort_wg_add(&watchers_wg, 2);
    go(tick_reader, NULL);
    go(sleeper, NULL);
    gort_wg_wait(&watchers_wg);
    /* the spinners ran on all along */
    CHECK_MSG(LD(progress[0]) > before[0] && LD(progress[1]) > before[1], "a spinner made no progress");
    ST(stop, 1);
    gort_wg_wait(&spinners_wg);
    pre_watchdog_stop();
    NOTE("%d ticks of 1 ms received in %d ms\n", ticks, WINDOW_MS);
    pre_check_lateness(late, SLEEPS, "5 ms sleeps next to 2 loops at GOMAXPROCS=2");
    CHECK_MSG(ticks >= MIN_TICKS, "only %d ticks received in %d ms next to 2 spinners (want >= %d)", ticks,
              WINDOW_MS, MIN_TICKS);
    return 0;
}

GORT_MAIN(main_fn)
