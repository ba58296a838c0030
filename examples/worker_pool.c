// The lesson's worker pool: three workers share five jobs, a WaitGroup tells
// main when they are done, and the whole run has a 500 ms deadline.
//
// In Go this is a jobs channel, `for j := range jobs`, a sync.WaitGroup and
// context.WithTimeout.  Channels and context arrive with the next piece of
// gort; until then the job queue is a Mutex-guarded array and the deadline
// is checked against gort_now() — the shape of the program is the same.
//
// gort-test: stdout=worker [1-3] finished job 5
// gort-test: stdout=all 5 jobs done before the deadline
#include <gort.h>
#include <stdio.h>

#define WORKERS 3
#define JOBS 5
#define DEADLINE_NS (500 * 1000000LL)

typedef struct pool {
    gort_mutex mu;           /* guards next_job */
    int next_job;            /* 1..JOBS; JOBS+1 when the queue is empty */
    int64_t deadline;        /* gort_now() clock */
    gort_waitgroup wg;
    int done;                /* guarded by mu */
} pool;

typedef struct worker { pool *p; int id; } worker;

/* Takes the next job, or 0 when there is none left or time is up. */
static int take_job(pool *p)
{
    int job = 0;
    gort_mutex_lock(&p->mu);
    if (p->next_job <= JOBS && gort_now() < p->deadline)
        job = p->next_job++;
    gort_mutex_unlock(&p->mu);
    return job;
}

static void work(void *arg)
{
    worker *w = arg;
    pool *p = w->p;
    for (int job; (job = take_job(p)) != 0;) {
        printf("worker %d started job %d\n", w->id, job);
        gort_sleep(50 * 1000000LL);          /* the job: 50 ms of waiting, no thread held */
        printf("worker %d finished job %d\n", w->id, job);
        gort_mutex_lock(&p->mu);
        p->done++;
        gort_mutex_unlock(&p->mu);
    }
    gort_wg_done(&p->wg);
}

static int run(int argc, char **argv)
{
    (void)argc; (void)argv;
    pool p = { .next_job = 1, .deadline = gort_now() + DEADLINE_NS };
    worker workers[WORKERS];
    gort_wg_add(&p.wg, WORKERS);
    for (int i = 0; i < WORKERS; i++) {
        workers[i] = (worker){ &p, i + 1 };
        go(work, &workers[i]);
    }
    gort_wg_wait(&p.wg);
    if (p.done == JOBS)
        printf("all %d jobs done before the deadline\n", JOBS);
    else
        printf("deadline passed: %d of %d jobs done\n", p.done, JOBS);
    return p.done == JOBS ? 0 : 1;
}

GORT_MAIN(run)
