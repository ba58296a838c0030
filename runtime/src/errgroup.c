/*
 * errgroup.c — golang.org/x/sync/errgroup: goroutines working on parts of
 * one task, the first error cancels the group's context, Wait returns it.
 *
 * A WaitGroup counts the members; an optional limit is a buffered channel
 * used as a semaphore (gort_errgroup_go blocks while it is full).  Each
 * member's bookkeeping runs as a deferred call, so a member that ends with
 * gort_exit is still counted out.
 */
#include "chan.h"

#include <stdlib.h>

struct gort_errgroup {
    gort_ctx      *ctx;        /* the group's own cancelable context */
    gort_waitgroup wg;
    gort_mutex     mu;         /* guards err */
    int            err;
    bool           err_set;
    gort_chan     *sem;        /* NULL: no limit */
    int32_t        active;     /* atomic */
};

typedef struct member {
    gort_errgroup *g;
    int (*fn)(gort_ctx *, void *);
    void *arg;
} member;

gort_errgroup *gort_errgroup_new(gort_ctx *parent, gort_ctx **ctx_out)
{
    NOTE_THREAD();
    gort_errgroup *g = calloc(1, sizeof *g);
    if (!g)
        fatal("out of memory: cannot allocate an errgroup");
    g->ctx = gort_ctx_with_cancel(parent ? parent : gort_ctx_background());
    if (ctx_out)
        *ctx_out = gort_ctx_ref(g->ctx);
    return g;
}

void gort_errgroup_limit(gort_errgroup *g, int n)
{
    NOTE_THREAD();
    int active = ld_acq(&g->active);
    if (active != 0)
        gort_panic("errgroup: modify limit while %d goroutines in the group are still active", active);
    gort_chan_unref(g->sem);
    g->sem = n < 0 ? NULL : gort_chan_make(0, (size_t)n);
}

static void member_done(void *arg)
{
    member *m = arg;
    gort_errgroup *g = m->g;
    free(m);
    if (g->sem)
        gort_chan_recv(g->sem, NULL);
    xadd(&g->active, -1);
    gort_wg_done(&g->wg);
}

static void member_run(void *arg)
{
    member *m = arg;
    gort_errgroup *g = m->g;
    gort_defer(member_done, m);
    int r = m->fn(g->ctx, m->arg);
    if (r != 0) {
        gort_mutex_lock(&g->mu);
        bool first = !g->err_set;
        if (first) {
            g->err_set = true;
            g->err = r;
        }
        gort_mutex_unlock(&g->mu);
        if (first)
            gort_ctx_cancel(g->ctx);
    }
}

/* After the member's slot (if any) was taken. */
static void start_member(gort_errgroup *g, int (*fn)(gort_ctx *, void *), void *arg)
{
    member *m = malloc(sizeof *m);
    if (!m)
        fatal("out of memory: cannot start an errgroup goroutine");
    *m = (member){ g, fn, arg };
    xadd(&g->active, 1);
    gort_wg_add(&g->wg, 1);
    gort_go(member_run, m);
}

void gort_errgroup_go(gort_errgroup *g, int (*fn)(gort_ctx *ctx, void *arg), void *arg)
{
    NOTE_THREAD();
    if (!fn)
        fatal("go of nil func value");
    if (g->sem)
        gort_chan_send(g->sem, NULL);   /* blocks while `limit` members are active */
    start_member(g, fn, arg);
}

/* TryGo: a member starts only if a slot is free now.  With a limit of 0
 * the channel is unbuffered and nobody receives: never. */
bool gort_errgroup_try_go(gort_errgroup *g, int (*fn)(gort_ctx *ctx, void *arg), void *arg)
{
    NOTE_THREAD();
    if (!fn)
        fatal("go of nil func value");
    if (g->sem && !gort_chan_try_send(g->sem, NULL))
        return false;
    start_member(g, fn, arg);
    return true;
}

int gort_errgroup_wait(gort_errgroup *g)
{
    NOTE_THREAD();
    gort_wg_wait(&g->wg);
    gort_ctx_cancel(g->ctx);
    int err = g->err;
    gort_ctx_unref(g->ctx);
    gort_chan_unref(g->sem);
    free(g);
    return err;
}
