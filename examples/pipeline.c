// A pipeline with fan-out and fan-in, after Go's "Pipelines and cancellation":
//
//   gen ──> sq ─┐
//        ├> sq ─┼─> merge ──> main (sums)
//        └> sq ─┘
//
// gen sends 1..N on a channel; K sq goroutines all read that one channel
// (fan-out) and send the squares on their own channels; merge copies every
// sq channel onto one output channel (fan-in) and closes it once a WaitGroup
// says all of them are drained.  Main sums the squares and checks the sum
// against n(n+1)(2n+1)/6.
//
// Every stage also takes a context and selects on ctx.Done() whenever it
// sends, so a consumer that stops early can cancel the rest: the second run
// takes only the first 10 results, cancels, and gort_leakcheck shows that
// every stage has ended.
//
//   pipeline [N [K]]     defaults: N = 10000, K = 4
//
// gort-test: stdout=^run 1: sum of squares 1\.\.10000 = 333383335000 \(expected 333383335000\)$
// gort-test: stdout=^run 1: every stage ended \(4 squarers\)$
// gort-test: stdout=^run 2: took 10 results, canceled the rest$
// gort-test: stdout=^run 2: no goroutine left$
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_WORKERS 64

/* Sends v on out unless ctx ends first; false if ctx ended.
 *
 *   select {
 *   case out <- v:
 *       return true
 *   case <-ctx.Done():
 *       return false
 *   }
 */
static bool send_or_done(gort_ctx *ctx, gort_chan *out, int64_t v)
{
    gort_case cases[2] = {
        { .dir = GORT_SEND, .ch = out, .elem = &v },
        { .dir = GORT_RECV, .ch = gort_ctx_done(ctx) },
    };
    return gort_select(cases, 2, true) == 0;
}

/* What a stage's goroutine needs.  The goroutine owns one reference to each
   channel and to the context, and drops them when it ends. */
typedef struct stage {
    gort_ctx *ctx;
    gort_chan *in;               /* NULL for gen */
    gort_chan *out;
    int64_t n;                   /* gen: how many numbers */
    gort_waitgroup *wg;          /* merge's output goroutines: the merge's WaitGroup */
} stage;

static stage *new_stage(gort_ctx *ctx, gort_chan *in, gort_chan *out)
{
    stage *s = calloc(1, sizeof *s);
    if (!s) { perror("calloc"); exit(1); }
    s->ctx = gort_ctx_ref(ctx);
    s->in = in ? gort_chan_ref(in) : NULL;
    s->out = gort_chan_ref(out);
    return s;
}

static void free_stage(stage *s)
{
    gort_ctx_unref(s->ctx);
    gort_chan_unref(s->in);      /* NULL is fine for gen */
    gort_chan_unref(s->out);
    free(s);
}

/* ---- gen: func gen(ctx context.Context, n int) <-chan int ---------------- */

static void gen_run(void *arg)
{
    stage *s = arg;
    for (int64_t i = 1; i <= s->n; i++)
        if (!send_or_done(s->ctx, s->out, i))
            break;
    gort_chan_close(s->out);     /* defer close(out) */
    free_stage(s);
}

static gort_chan *gen(gort_ctx *ctx, int64_t n)
{
    gort_chan *out = gort_chan_make(sizeof(int64_t), 0);
    stage *s = new_stage(ctx, NULL, out);
    s->n = n;
    go(gen_run, s);
    return out;                  /* the caller owns this reference */
}

/* ---- sq: func sq(ctx context.Context, in <-chan int) <-chan int ---------- */

static void sq_run(void *arg)
{
    stage *s = arg;
    int64_t v;
    while (gort_chan_recv(s->in, &v))            /* for v := range in */
        if (!send_or_done(s->ctx, s->out, v * v))
            break;
    gort_chan_close(s->out);
    free_stage(s);
}

static gort_chan *sq(gort_ctx *ctx, gort_chan *in)
{
    gort_chan *out = gort_chan_make(sizeof(int64_t), 0);
    go(sq_run, new_stage(ctx, in, out));
    return out;
}

/* ---- merge: func merge(ctx context.Context, cs ...<-chan int) <-chan int - */

typedef struct merger {
    gort_waitgroup wg;           /* counts the output goroutines still copying */
    gort_chan *out;
} merger;

/* output := func(c <-chan int) { defer wg.Done(); for v := range c { select ... } } */
static void merge_output(void *arg)
{
    stage *s = arg;
    gort_waitgroup *wg = s->wg;
    int64_t v;
    while (gort_chan_recv(s->in, &v))
        if (!send_or_done(s->ctx, s->out, v))
            break;
    free_stage(s);
    gort_wg_done(wg);            /* last: the merger may be freed right after */
}

/* go func() { wg.Wait(); close(out) }() */
static void merge_closer(void *arg)
{
    merger *m = arg;
    gort_wg_wait(&m->wg);
    gort_chan_close(m->out);
    gort_chan_unref(m->out);
    free(m);
}

static gort_chan *merge(gort_ctx *ctx, gort_chan **cs, int n)
{
    merger *m = calloc(1, sizeof *m);
    if (!m) { perror("calloc"); exit(1); }
    gort_chan *out = gort_chan_make(sizeof(int64_t), 0);
    m->out = gort_chan_ref(out);
    gort_wg_add(&m->wg, n);
    for (int i = 0; i < n; i++) {
        stage *s = new_stage(ctx, cs[i], out);
        s->wg = &m->wg;
        go(merge_output, s);
    }
    go(merge_closer, m);
    return out;
}

/* Builds gen -> K x sq -> merge under ctx and returns merge's channel. */
static gort_chan *build(gort_ctx *ctx, int64_t n, int k)
{
    gort_chan *in = gen(ctx, n);
    gort_chan *squares[MAX_WORKERS];
    for (int i = 0; i < k; i++)                  /* fan-out: all read `in` */
        squares[i] = sq(ctx, in);
    gort_chan *out = merge(ctx, squares, k);     /* fan-in */

    /* The stages hold their own references now; drop ours. */
    gort_chan_unref(in);
    for (int i = 0; i < k; i++)
        gort_chan_unref(squares[i]);
    return out;
}

static int run(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 10000;
    int k = argc > 2 ? atoi(argv[2]) : 4;
    if (n < 10 || n > 1000000 || k < 1 || k > MAX_WORKERS) {
        fprintf(stderr, "usage: %s [N (10..1000000) [K (1..%d)]]\n", argv[0], MAX_WORKERS);
        return 2;
    }
    int status = 0;

    /* Run 1: consume everything. */
    {
        gort_ctx *ctx = gort_ctx_with_cancel(gort_ctx_background());
        gort_chan *out = build(ctx, n, k);
        int64_t sum = 0, v;
        while (gort_chan_recv(out, &v))          /* for v := range out */
            sum += v;
        int64_t want = n * (n + 1) * (2 * n + 1) / 6;
        printf("run 1: sum of squares 1..%lld = %lld (expected %lld)\n",
               (long long)n, (long long)sum, (long long)want);
        if (sum != want)
            status = 1;
        gort_chan_unref(out);
        gort_ctx_cancel(ctx);                    /* defer cancel() */
        gort_ctx_unref(ctx);
        if (gort_leakcheck(1000000000LL) != 0)
            status = 1;
        else
            printf("run 1: every stage ended (%d squarers)\n", k);
    }

    /* Run 2: stop after 10 results and cancel the rest of the pipeline. */
    {
        gort_ctx *ctx = gort_ctx_with_cancel(gort_ctx_background());
        gort_chan *out = build(ctx, n, k);
        int taken = 0;
        int64_t v;
        while (taken < 10 && gort_chan_recv(out, &v))
            taken++;
        gort_ctx_cancel(ctx);                    /* tell every stage to stop */
        printf("run 2: took %d results, canceled the rest\n", taken);
        if (taken != 10)
            status = 1;
        gort_chan_unref(out);
        gort_ctx_unref(ctx);
        if (gort_leakcheck(1000000000LL) != 0) {
            fprintf(stderr, "pipeline: goroutines left after cancel\n");
            status = 1;
        } else {
            printf("run 2: no goroutine left\n");
        }
    }
    return status;
}

GORT_MAIN(run)
