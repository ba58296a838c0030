// The lesson's worker pool: 3 workers select on the context's done and a
// jobs channel under a 500 ms timeout context; each job is 50 ms of waiting
// that the context can interrupt.  With 5 jobs, all 5 finish (each exactly
// once) before the deadline, the workers end when the jobs channel is
// closed and drained, and no goroutine is left.
// gort-test: env=GOMAXPROCS=2
// gort-test: stdout=^all 5 jobs done before the deadline$
#include "check.h"

#define WORKERS 3
#define JOBS 5

static gort_ctx *ctx;
static gort_chan *jobs;
static gort_waitgroup wg;
static _Atomic int finished[JOBS + 1], received[JOBS + 1], nfinished;

/* 50 ms of work, unless ctx ends first: true when completed. */
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
    gort_ctx *c = arg;
    for (;;) {
        int job = 0;
        gort_case cs[2] = {
            { GORT_RECV, gort_ctx_done(c), NULL, false },
            { GORT_RECV, jobs, &job, false },
        };
        int r = gort_select(cs, 2, true);
        if (r == 0 || !cs[1].ok) break;
        CHECK(job >= 1 && job <= JOBS);
        atomic_fetch_add(&received[job], 1);
        if (do_job(c)) {
            atomic_fetch_add(&finished[job], 1);
            atomic_fetch_add(&nfinished, 1);
        }
    }
    gort_ctx_unref(c);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(500));
    jobs = gort_chan_make(sizeof(int), JOBS);
    gort_wg_add(&wg, WORKERS);
    for (int i = 0; i < WORKERS; i++) go(worker, gort_ctx_ref(ctx));
    for (int j = 1; j <= JOBS; j++) gort_chan_send(jobs, &j);
    gort_chan_close(jobs);
    gort_wg_wait(&wg);
    CHECK_MSG(gort_ctx_err(ctx) == 0, "deadline passed before 5 jobs of 50 ms were done");
    for (int j = 1; j <= JOBS; j++) {
        CHECK_EQ_INT(atomic_load(&received[j]), 1);
        CHECK_EQ_INT(atomic_load(&finished[j]), 1);
    }
    CHECK_EQ_INT(atomic_load(&nfinished), JOBS);
    CHECK_EQ_INT(gort_leakcheck(MS(1000)), 0);
    printf("all %d jobs done before the deadline\n", JOBS);
    gort_ctx_unref(ctx);
    gort_chan_unref(jobs);
    return 0;
}

GORT_MAIN(main_fn)
