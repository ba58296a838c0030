/*
 * chan.c — channels, select and timers (bench/SUITE.md, groups
 * `chan_throughput`, `select` and `timers`).
 *
 *   chan_throughput/gort/pairs:K     K producer goroutines each send items/K
 *                                    int64_t values into one gort_chan of
 *                                    capacity 128; K consumer goroutines
 *                                    receive until it is closed; GOMAXPROCS =
 *                                    the CPU count; K = 1, 2, 4
 *   chan_throughput/pthread/pairs:K  the same with 2K pthreads and pool.c's
 *                                    ring (a mutex, condvars not-empty /
 *                                    not-full), capacity 128
 *   select/gort/cases:C              one receiver, gort_select over C receive
 *                                    cases on unbuffered channels, each fed
 *                                    by its own sender goroutine, until
 *                                    100,000 values have arrived; GOMAXPROCS
 *                                    1; C = 2, 8
 *   timers/gort/n:100000             n goroutines each gort_sleep(1 ms) ten
 *                                    times in a row; GOMAXPROCS = the CPU count
 *
 * One iteration is a whole run: chan_throughput moves items = 1,000,000
 * values (per_item = time / items); select performs 100,000 selects
 * (per_select = time / 100,000); timers completes n × 10 sleeps (per_sleep
 * = wall / (n × 10), so it falls as more sleepers share the timer
 * machinery; the floor is 10 ms per iteration).  Each reports its counter
 * and items_per_second (items, selects, sleeps per second).
 *
 * What an iteration creates, and why that is fair: chan_throughput makes a
 * fresh queue and 2K tasks per iteration (the queue must be closed to end
 * the run; 2K spawns are µs against a run of tens of ms, for pthreads
 * ~2K × 40 µs against hundreds of ms); the producers and consumers start
 * together, the loop's task waits for the producers, closes the queue and
 * waits for the consumers.  Producer p sends the numbers p·items/K ..
 * (p+1)·items/K − 1; the consumers' count and sum are checked (a lost or
 * doubled value fails the run).  select keeps its C channels for the run
 * and spawns C senders per iteration, each sending 100,000 / C values
 * (50,000 or 12,500) and ending; the receiver selects exactly 100,000
 * times, then waits for the senders to have returned.  timers spawns its n
 * sleepers per iteration and waits for them with a WaitGroup.
 *
 * Times are wall-clock; CPU is the whole process's.  The gort loops run
 * inside one goroutine (gort_run from the benchmark function), as in
 * spawn.c; GOMAXPROCS is set in that goroutine and restored after.
 *
 *   build/bench/bench_chan [--benchmark_filter=select/] [--benchmark_format=json]
 */
#define _GNU_SOURCE
#include <gort.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "ring.h"

enum {
    ITEMS = 1000000,      /* chan_throughput: values per iteration */
    QUEUE_CAP = 128,      /* chan_throughput: the queue's capacity */
    MAX_PAIRS = 4,
    SELECTS = 100000,     /* select: values received per iteration */
    MAX_CASES = 8,
    SLEEPERS = 100000,    /* timers: n */
    SLEEPS = 10,          /* timers: sleeps per task */
};
#define SLEEP_NS INT64_C(1000000)

static void report_per_item(gbench_state *st, const char *counter, int64_t per_iteration)
{
    gbench_set_items_processed(st, gbench_iterations(st) * per_iteration);
    bench_report_per(st, counter, (double)per_iteration);
}

/* The consumers' count and sum of the values 0 .. items-1. */
static bool check_received(gbench_state *st, int64_t count, int64_t sum, int64_t items)
{
    int64_t want = items * (items - 1) / 2;
    gbench_do_not_optimize(sum);
    if (count == items && sum == want)
        return true;
    char msg[160];
    snprintf(msg, sizeof msg, "consumers got %lld values summing to %lld, want %lld summing to %lld",
             (long long)count, (long long)sum, (long long)items, (long long)want);
    gbench_skip_with_error(st, msg);
    return false;
}

/* ---- chan_throughput/gort --------------------------------------------------- */

typedef struct {
    gort_chan      *queue;
    gort_waitgroup *wg;
    int64_t         first, count;   /* producer: the values first .. first+count-1 */
    int64_t         got, sum;       /* consumer: what it received */
} gort_party;

static void gort_producer(void *arg)
{
    gort_party *p = arg;
    for (int64_t v = p->first, end = p->first + p->count; v < end; v++)
        gort_chan_send(p->queue, &v);
    gort_wg_done(p->wg);
}

static void gort_consumer(void *arg)
{
    gort_party *p = arg;
    int64_t v, got = 0, sum = 0;
    while (gort_chan_recv(p->queue, &v)) {
        got++;
        sum += v;
    }
    p->got = got;
    p->sum = sum;
    gort_wg_done(p->wg);
}

static void chan_gort_loop(void *arg)
{
    gbench_state *st = arg;
    int k = (int)gbench_range(st, 0);
    int prev = gort_gomaxprocs(gort_num_cpu());
    gort_party prod[MAX_PAIRS], cons[MAX_PAIRS];
    while (gbench_keep_running(st)) {
        gort_waitgroup prod_wg = {0}, cons_wg = {0};
        gort_chan *queue = gort_chan_make(sizeof(int64_t), QUEUE_CAP);
        gort_wg_add(&cons_wg, k);
        gort_wg_add(&prod_wg, k);
        for (int i = 0; i < k; i++) {
            cons[i] = (gort_party){.queue = queue, .wg = &cons_wg};
            gort_go(gort_consumer, &cons[i]);
        }
        for (int i = 0; i < k; i++) {
            prod[i] = (gort_party){.queue = queue, .wg = &prod_wg,
                                   .first = i * (ITEMS / k), .count = ITEMS / k};
            gort_go(gort_producer, &prod[i]);
        }
        gort_wg_wait(&prod_wg);
        gort_chan_close(queue);
        gort_wg_wait(&cons_wg);
        gort_chan_unref(queue);
        int64_t got = 0, sum = 0;
        for (int i = 0; i < k; i++) {
            got += cons[i].got;
            sum += cons[i].sum;
        }
        if (!check_received(st, got, sum, (ITEMS / k) * k))
            break;
    }
    gort_gomaxprocs(prev);
    report_per_item(st, "per_item", (ITEMS / k) * k);
}

static void bm_chan_gort(gbench_state *st) { gort_run(chan_gort_loop, st); }

/* ---- chan_throughput/pthread: pool.c's ring, capacity 128 ------------------- */

typedef struct {
    ring   *queue;
    int64_t first, count;   /* producer */
    int64_t got, sum;       /* consumer */
} pthread_party;

static void *pthread_producer(void *arg)
{
    pthread_party *p = arg;
    for (int64_t v = p->first, end = p->first + p->count; v < end; v++)
        ring_put(p->queue, v);
    return NULL;
}

static void *pthread_consumer(void *arg)
{
    pthread_party *p = arg;
    int64_t v, got = 0, sum = 0;
    while (ring_get(p->queue, &v)) {
        got++;
        sum += v;
    }
    p->got = got;
    p->sum = sum;
    return NULL;
}

static void bm_chan_pthread(gbench_state *st)
{
    int k = (int)gbench_range(st, 0);
    static ring queue;
    pthread_party prod[MAX_PAIRS], cons[MAX_PAIRS];
    pthread_t prod_th[MAX_PAIRS], cons_th[MAX_PAIRS];
    while (gbench_keep_running(st)) {
        ring_init(&queue, QUEUE_CAP);
        int nc = 0, np = 0, e = 0;
        for (; nc < k; nc++) {
            cons[nc] = (pthread_party){.queue = &queue};
            if ((e = pthread_create(&cons_th[nc], NULL, pthread_consumer, &cons[nc])) != 0)
                break;
        }
        for (; e == 0 && np < k; np++) {
            prod[np] = (pthread_party){.queue = &queue, .first = np * (ITEMS / k),
                                       .count = ITEMS / k};
            if ((e = pthread_create(&prod_th[np], NULL, pthread_producer, &prod[np])) != 0)
                break;
        }
        /* A failed create: no producer starts unless every consumer has,
         * so the producers that did start can finish (the consumers drain
         * the ring); then everything started is joined. */
        for (int i = 0; i < np; i++)
            pthread_join(prod_th[i], NULL);
        ring_close(&queue);
        int64_t got = 0, sum = 0;
        for (int i = 0; i < nc; i++) {
            pthread_join(cons_th[i], NULL);
            got += cons[i].got;
            sum += cons[i].sum;
        }
        ring_destroy(&queue);
        if (e != 0) {
            char msg[128];
            snprintf(msg, sizeof msg, "pthread_create: %s", strerror(e));
            gbench_skip_with_error(st, msg);
            break;
        }
        if (!check_received(st, got, sum, (ITEMS / k) * k))
            break;
    }
    report_per_item(st, "per_item", (ITEMS / k) * k);
}

/* ---- select/gort ------------------------------------------------------------ */

typedef struct {
    gort_chan      *ch;
    gort_waitgroup *wg;
    int64_t         count;
} select_sender;

static void select_sender_fn(void *arg)
{
    select_sender *s = arg;
    for (int64_t v = 0; v < s->count; v++)
        gort_chan_send(s->ch, &v);
    gort_wg_done(s->wg);
}

static void select_gort_loop(void *arg)
{
    gbench_state *st = arg;
    int c = (int)gbench_range(st, 0);
    int prev = gort_gomaxprocs(1);
    gort_chan *ch[MAX_CASES];
    int64_t val[MAX_CASES];
    gort_case cases[MAX_CASES];
    select_sender snd[MAX_CASES];
    int64_t per_sender = SELECTS / c, selects = per_sender * c;
    for (int i = 0; i < c; i++)
        ch[i] = gort_chan_make(sizeof(int64_t), 0);
    while (gbench_keep_running(st)) {
        gort_waitgroup wg = {0};
        gort_wg_add(&wg, c);
        for (int i = 0; i < c; i++) {
            snd[i] = (select_sender){.ch = ch[i], .wg = &wg, .count = per_sender};
            gort_go(select_sender_fn, &snd[i]);
        }
        for (int i = 0; i < c; i++)
            cases[i] = (gort_case){.dir = GORT_RECV, .ch = ch[i], .elem = &val[i]};
        int64_t sum = 0;
        for (int64_t n = 0; n < selects; n++) {
            int i = gort_select(cases, c, true);
            /* No channel is ever closed: anything else is a runtime bug, and
             * the senders could not be ended cleanly after it. */
            if (i < 0 || i >= c || !cases[i].ok)
                gort_panic("select/gort: gort_select returned case %d (ok %d) of %d", i,
                           i >= 0 && i < c ? (int)cases[i].ok : -1, c);
            sum += val[i];
        }
        gbench_do_not_optimize(sum);
        gort_wg_wait(&wg);
        int64_t want = (int64_t)c * (per_sender * (per_sender - 1) / 2);
        if (sum != want) {
            char msg[128];
            snprintf(msg, sizeof msg, "received values sum to %lld, want %lld",
                     (long long)sum, (long long)want);
            gbench_skip_with_error(st, msg);
            break;
        }
    }
    for (int i = 0; i < c; i++)
        gort_chan_unref(ch[i]);
    gort_gomaxprocs(prev);
    report_per_item(st, "per_select", selects);
}

static void bm_select_gort(gbench_state *st) { gort_run(select_gort_loop, st); }

/* ---- timers/gort ------------------------------------------------------------ */

static void sleeper(void *wg)
{
    for (int i = 0; i < SLEEPS; i++)
        gort_sleep(SLEEP_NS);
    gort_wg_done(wg);
}

static void timers_gort_loop(void *arg)
{
    gbench_state *st = arg;
    int64_t n = gbench_range(st, 0);
    int prev = gort_gomaxprocs(gort_num_cpu());
    while (gbench_keep_running(st)) {
        gort_waitgroup wg = {0};
        gort_wg_add(&wg, n);
        for (int64_t i = 0; i < n; i++)
            gort_go(sleeper, &wg);
        gort_wg_wait(&wg);
    }
    gort_gomaxprocs(prev);
    report_per_item(st, "per_sleep", n * SLEEPS);
}

static void bm_timers_gort(gbench_state *st) { gort_run(timers_gort_loop, st); }

/* ---- registration ---------------------------------------------------------- */

static gbench_bm *timed(gbench_bm *b, gbench_unit unit)
{
    return gbench_bm_unit(bench_timed(b), unit);
}

static void pairs_args(gbench_bm *b)
{
    gbench_bm_arg_name(b, "pairs");
    gbench_bm_arg(b, 1);
    gbench_bm_arg(b, 2);
    gbench_bm_arg(b, 4);
}

GBENCH_SETUP(register_chan)
{
    pairs_args(timed(gbench_register("chan_throughput/gort", bm_chan_gort), GBENCH_MS));
    pairs_args(timed(gbench_register("chan_throughput/pthread", bm_chan_pthread), GBENCH_MS));

    gbench_bm *b = timed(gbench_register("select/gort", bm_select_gort), GBENCH_MS);
    gbench_bm_arg_name(b, "cases");
    gbench_bm_arg(b, 2);
    gbench_bm_arg(b, 8);

    b = timed(gbench_register("timers/gort", bm_timers_gort), GBENCH_MS);
    gbench_bm_arg_name(b, "n");
    gbench_bm_arg(b, SLEEPERS);
}

int main(int argc, char **argv) { return bench_main(argc, argv); }
