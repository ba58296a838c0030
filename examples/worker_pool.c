// The lesson's worker pool: three workers take jobs from a buffered channel,
// send what they did on a results channel, a WaitGroup tells main when they
// have all stopped, and the whole run has a 500 ms deadline
// (context.WithTimeout).  Each job "works" for 50 ms.
//
//   worker_pool        5 jobs: all of them finish long before the deadline.
//   worker_pool 1000   1000 jobs: the deadline stops the workers after about
//                      30 jobs; it prints how many finished in time, how many
//                      were cut short and how many never started, and exits 0.
//                      (Not run as a test: one program, one test.)
//
// The Go original, in short:
//
//   ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
//   defer cancel()
//   jobs := make(chan int, numJobs)
//   results := make(chan result, numJobs)
//   var wg sync.WaitGroup
//   for w := 1; w <= 3; w++ { wg.Add(1); go worker(ctx, w, jobs, results, &wg) }
//   for j := 1; j <= numJobs; j++ { jobs <- j }
//   close(jobs)
//   wg.Wait()
//   close(results)
//   for r := range results { fmt.Printf("worker %d finished job %d\n", r.worker, r.job) }
//
// gort-test: stdout=^worker [1-3] finished job 1$
// gort-test: stdout=^worker [1-3] finished job 5$
// gort-test: stdout=^all 5 jobs done before the deadline$
// gort-test: stdout=^no goroutine left$
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

#define WORKERS 3
#define DEFAULT_JOBS 5
#define MS 1000000LL                 /* one millisecond in nanoseconds */

typedef struct result { int worker, job; } result;

/* What every worker shares: main owns all of it and outlives the workers
   (it waits for them on the WaitGroup), so the workers borrow it. */
typedef struct pool {
    gort_ctx *ctx;
    gort_chan *jobs;                 /* chan int */
    gort_chan *results;              /* chan result */
    gort_waitgroup wg;
} pool;

typedef struct worker_arg { pool *p; int id; } worker_arg;

/* func worker(ctx context.Context, id int, jobs <-chan int, results chan<- result, wg *sync.WaitGroup) */
static void worker(void *arg)
{
    worker_arg *w = arg;
    pool *p = w->p;

    for (;;) {
        /* select picks at random among ready cases, so once the deadline
           has passed a worker could still take a queued job.  Checking the
           context first stops it at once:  if ctx.Err() != nil { return } */
        if (gort_ctx_err(p->ctx) != 0)
            break;

        int job;
        gort_case cases[2] = {
            { .dir = GORT_RECV, .ch = gort_ctx_done(p->ctx) },   /* case <-ctx.Done(): */
            { .dir = GORT_RECV, .ch = p->jobs, .elem = &job },   /* case job, ok := <-jobs: */
        };
        int chosen = gort_select(cases, 2, true);
        if (chosen == 0)
            break;                   /* deadline: stop */
        if (!cases[1].ok)
            break;                   /* jobs closed and drained: nothing left to do */

        printf("worker %d started job %d\n", w->id, job);
        gort_sleep(50 * MS);         /* the work: parks this goroutine, not its thread */
        if (gort_ctx_err(p->ctx) != 0) {
            /* Finished after the deadline: nobody wants the result any more. */
            printf("worker %d finished job %d too late\n", w->id, job);
            break;
        }
        result r = { w->id, job };
        gort_chan_send(p->results, &r);
    }
    gort_wg_done(&p->wg);            /* defer wg.Done() */
}

static int run(int argc, char **argv)
{
    int njobs = DEFAULT_JOBS;
    if (argc > 1) {
        njobs = atoi(argv[1]);
        if (njobs < 1) {
            fprintf(stderr, "usage: %s [number of jobs]\n", argv[0]);
            return 2;
        }
    }

    pool p = {0};
    p.ctx = gort_ctx_with_timeout(gort_ctx_background(), 500 * MS);
    p.jobs = gort_chan_make(sizeof(int), (size_t)njobs);
    p.results = gort_chan_make(sizeof(result), (size_t)njobs);

    worker_arg args[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        args[i] = (worker_arg){ &p, i + 1 };
        gort_wg_add(&p.wg, 1);
        go(worker, &args[i]);
    }

    for (int j = 1; j <= njobs; j++)    /* jobs <- j  (the buffer holds them all) */
        gort_chan_send(p.jobs, &j);
    gort_chan_close(p.jobs);

    gort_wg_wait(&p.wg);
    gort_chan_close(p.results);

    int done = 0;
    result r;
    while (gort_chan_recv(p.results, &r)) {   /* for r := range results */
        printf("worker %d finished job %d\n", r.worker, r.job);
        done++;
    }

    if (done == njobs && gort_ctx_err(p.ctx) == 0)
        printf("all %d jobs done before the deadline\n", njobs);
    else
        printf("deadline exceeded: %d of %d jobs done in time, %d finished too late, %zu never started\n",
               done, njobs, njobs - done - (int)gort_chan_len(p.jobs), gort_chan_len(p.jobs));

    gort_ctx_cancel(p.ctx);          /* defer cancel() */
    gort_ctx_unref(p.ctx);
    gort_chan_unref(p.jobs);
    gort_chan_unref(p.results);

    if (gort_leakcheck(1000 * MS) != 0) {
        fprintf(stderr, "worker_pool: goroutines left behind\n");
        return 1;
    }
    printf("no goroutine left\n");
    return 0;
}

GORT_MAIN(run)
