// Parallel health checks with one deadline for all of them: every service is
// checked in its own goroutine of an errgroup whose context times out after
// 200 ms; a service that has not answered by then is reported as "timeout".
// The report lists the services by name, then a summary line.
//
// The Go original, in short:
//
//   ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
//   defer cancel()
//   g, ctx := errgroup.WithContext(ctx)
//   for i, s := range services {
//       g.Go(func() error {
//           statuses[i] = check(ctx, s)
//           return nil     // an unhealthy service is a result, not an error:
//       })                 // it must not cancel the other checks
//   }
//   g.Wait()
//
// gort-test: stdout=^auth +ok +20 ms$
// gort-test: stdout=^cache +unhealthy +10 ms$
// gort-test: stdout=^db +ok +40 ms$
// gort-test: stdout=^email +ok +100 ms$
// gort-test: stdout=^payments +timeout +1000 ms$
// gort-test: stdout=^search +unhealthy +60 ms$
// gort-test: stdout=^report ready in under 400 ms$
// gort-test: stdout=^6 services: 3 ok, 2 unhealthy, 1 timeout \(deadline 200 ms\)$
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000000LL                 /* one millisecond in nanoseconds */
#define DEADLINE_MS 200

/* The services to check: how long each takes to answer, and its answer. */
typedef struct service { const char *name; int latency_ms; bool healthy; } service;

static const service services[] = {
    { "search",     60, false },
    { "db",         40, true  },
    { "auth",       20, true  },
    { "payments", 1000, true  },     /* slower than the deadline */
    { "cache",      10, false },
    { "email",     100, true  },
};
#define NSERVICES ((int)(sizeof services / sizeof services[0]))

typedef struct check_job {
    const service *svc;
    const char *status;              /* "ok", "unhealthy" or "timeout" */
} check_job;

/* One simulated call: the answer comes after the service's latency, unless
 * the context ends first.
 *
 *   select {
 *   case <-time.After(s.latency):
 *       if s.healthy { return "ok" }
 *       return "unhealthy"
 *   case <-ctx.Done():
 *       return "timeout"
 *   }
 */
static const char *check(gort_ctx *ctx, const service *s)
{
    gort_chan *answer = gort_after(s->latency_ms * MS);
    gort_case cases[2] = {
        { .dir = GORT_RECV, .ch = answer },
        { .dir = GORT_RECV, .ch = gort_ctx_done(ctx) },
    };
    int chosen = gort_select(cases, 2, true);
    gort_chan_unref(answer);         /* ours to drop, fired or not */
    if (chosen == 1)
        return "timeout";
    return s->healthy ? "ok" : "unhealthy";
}

/* g.Go(func() error { ... }): ctx is the group's context. */
static int check_member(gort_ctx *ctx, void *arg)
{
    check_job *job = arg;
    job->status = check(ctx, job->svc);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    const check_job *x = a, *y = b;
    return strcmp(x->svc->name, y->svc->name);
}

static int run(int argc, char **argv)
{
    (void)argc; (void)argv;
    check_job jobs[NSERVICES];
    int64_t start = gort_now();

    gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), DEADLINE_MS * MS);
    gort_errgroup *g = gort_errgroup_new(ctx, NULL);
    for (int i = 0; i < NSERVICES; i++) {
        jobs[i] = (check_job){ .svc = &services[i] };
        gort_errgroup_go(g, check_member, &jobs[i]);
    }
    gort_errgroup_wait(g);           /* every check has answered or timed out */
    gort_ctx_cancel(ctx);            /* defer cancel() */
    gort_ctx_unref(ctx);
    int64_t elapsed_ms = (gort_now() - start) / MS;

    qsort(jobs, NSERVICES, sizeof jobs[0], by_name);
    int ok = 0, unhealthy = 0, timeout = 0;
    printf("%-10s %-10s %s\n", "service", "status", "latency (simulated)");
    for (int i = 0; i < NSERVICES; i++) {
        printf("%-10s %-10s %5d ms\n", jobs[i].svc->name, jobs[i].status, jobs[i].svc->latency_ms);
        if (strcmp(jobs[i].status, "ok") == 0)
            ok++;
        else if (strcmp(jobs[i].status, "unhealthy") == 0)
            unhealthy++;
        else
            timeout++;
    }
    printf("%d services: %d ok, %d unhealthy, %d timeout (deadline %d ms)\n",
           NSERVICES, ok, unhealthy, timeout, DEADLINE_MS);
    /* The slowest service would take 1000 ms; the deadline cut the wait short. */
    if (elapsed_ms < 2 * DEADLINE_MS)
        printf("report ready in under %d ms\n", 2 * DEADLINE_MS);
    else
        printf("report took %lld ms\n", (long long)elapsed_ms);

    if (gort_leakcheck(1000 * MS) != 0) {
        fprintf(stderr, "health_checks: goroutines left behind\n");
        return 1;
    }
    return 0;
}

GORT_MAIN(run)
