// The lesson's worker pool against its deadline: 3 workers select on the
// context's done and a jobs channel holding 1,000 jobs of 50 ms each (50 ms
// of waiting that the context interrupts), under a 500 ms timeout.  The
// deadline ends the run: done closes no earlier than 500 ms after the start,
// every worker has ended within a generous 10 ms of the moment done was
// seen closed, no job was received twice, none was started after the
// cancellation (a worker checks gort_ctx_err after taking a job, and
// timestamps the start before that check), at most the ~30 jobs that fit
// were finished, and gort_leakcheck finds no goroutine left.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define WORKERS 3
#define JOBS 1000

static gort_ctx *ctx;
static gort_chan *jobs;
static gort_waitgroup wg, watching;
static _Atomic int received[JOBS + 1], started_n, finished_n;
static _Atomic int64_t last_start, exit_at[WORKERS], done_seen;

static void watcher(void *arg)
{
    gort_ctx *c = arg;
    gort_wg_done(&watching);
    CHECK(!gort_chan_recv(gort_ctx_done(c), NULL));
    atomic_store(&done_seen, gort_now());
    gort_ctx_unref(c);
}

static bool do_job(gort_ctx *c)
{
    gort_chan *t = gort_after(MS(50));
    gort_case cs[2] = {
        { GORT_RECV, gort_ctx_done(c), NULL, false },
        { GORT_RECV, t, NULL, false },
    };
    int r = gort_select(cs, 2, true);
    gort_chan_unref(t);
    return r == 1;
}

static void worker(void *arg)
{
    intptr_t id = (intptr_t)arg;
    gort_ctx *c = gort_ctx_ref(ctx);
    for (;;) {
        int job = 0;
        gort_case cs[2] = {
            { GORT_RECV, gort_ctx_done(c), NULL, false },
            { GORT_RECV, jobs, &job, false },
        };
        int r = gort_select(cs, 2, true);
        if (r == 0 || !cs[1].ok) break;
        CHECK(job >= 1 && job <= JOBS);
        CHECK_MSG(atomic_fetch_add(&received[job], 1) == 0, "job %d received twice", job);
        int64_t start = gort_now();
        if (gort_ctx_err(c) != 0) break;      /* both cases were ready: do not start */
        atomic_fetch_add(&started_n, 1);
        int64_t prev = atomic_load(&last_start);
        while (start > prev && !atomic_compare_exchange_weak(&last_start, &prev, start)) {}
        if (do_job(c)) atomic_fetch_add(&finished_n, 1);
    }
    atomic_store(&exit_at[id], gort_now());
    gort_ctx_unref(c);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    jobs = gort_chan_make(sizeof(int), JOBS);
    for (int j = 1; j <= JOBS; j++) gort_chan_send(jobs, &j);
    gort_chan_close(jobs);

    int64_t t0 = gort_now();
    ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(500));
    gort_wg_add(&watching, 1);
    go(watcher, gort_ctx_ref(ctx));
    gort_wg_wait(&watching);
    gort_wg_add(&wg, WORKERS);
    for (intptr_t i = 0; i < WORKERS; i++) go(worker, (void *)i);
    gort_wg_wait(&wg);

    CHECK_EQ_INT(gort_ctx_err(ctx), GORT_DEADLINE_EXCEEDED);
    CHECK_EQ_INT(gort_leakcheck(MS(1000)), 0);          /* the watcher has ended too */
    int64_t seen = atomic_load(&done_seen);
    CHECK(seen != 0);
    CHECK_MSG(seen - t0 >= MS(500), "done closed %lld ms after the start", (long long)((seen - t0) / 1000000));
    int64_t last_exit = 0;
    for (int i = 0; i < WORKERS; i++) {
        int64_t e = atomic_load(&exit_at[i]);
        if (e > last_exit) last_exit = e;
    }
    CHECK_MSG(last_exit - seen <= MS(10), "last worker ended %lld us after done was seen closed",
              (long long)((last_exit - seen) / 1000));
    CHECK_MSG(atomic_load(&last_start) <= seen, "a job started %lld us after done was seen closed",
              (long long)((atomic_load(&last_start) - seen) / 1000));
    int rec = 0;
    for (int j = 1; j <= JOBS; j++) rec += atomic_load(&received[j]);
    int fin = atomic_load(&finished_n), st = atomic_load(&started_n);
    NOTE("received %d, started %d, finished %d; done seen at %lld ms, last worker out %lld us later\n",
         rec, st, fin, (long long)((seen - t0) / 1000000), (long long)((last_exit - seen) / 1000));
    CHECK_LE_INT(fin, WORKERS * 10);       /* 500 ms / 50 ms per worker */
    CHECK_LE_INT(st, fin + WORKERS);       /* at most one interrupted per worker */
    CHECK_LE_INT(rec, st + WORKERS);       /* at most one taken but not started per worker */
    CHECK_LT_INT(rec, JOBS);
    gort_ctx_unref(ctx);
    gort_chan_unref(jobs);
    return 0;
}

GORT_MAIN(main_fn)
