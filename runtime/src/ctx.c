/*
 * ctx.c — context: cancellation trees, deadlines, values (Go's context).
 *
 * Kinds of node: the background root (never canceled, not counted),
 * cancelable nodes (with_cancel/timeout/deadline and their _cause forms: a
 * done channel, an err and a cause, a list of cancelable descendants, maybe
 * a deadline timer), value nodes (a key/value pair; done, err, cause and
 * deadline are those of the nearest cancelable ancestor), without-cancel
 * nodes (the parent's values, but they end the search for a cancelable
 * ancestor: never done) and after-func nodes (AfterFunc: registered like a
 * cancelable child, with no done channel; ending one starts its function
 * in a new goroutine unless gort_afterfunc_stop came first).  A cancelable
 * or after-func node registers with its nearest cancelable ancestor, which
 * ends it when it ends itself; a child that ends first (canceled, released
 * or stopped) unlinks itself, so a long-lived parent does not grow.
 *
 * Causes (Go 1.20): a node's cause is the one given to the cancellation
 * that ended it, its own or an ancestor's; none given, it is its err.
 * cause is written before err (a release store), so whoever sees err set
 * sees the cause.
 *
 * Locks: a node's lock guards its err, cause and children; lock order is
 * parent before child (both rank CTX: a canceler takes them one at a time).  Cancellation is synchronous and iterative (a chain of
 * 10,000 contexts must not recurse 10,000 frames deep on a goroutine
 * stack): the canceler takes a reference on each child it detaches, so a
 * child released meanwhile stays valid until it has been canceled.  The
 * first cause sticks.  A node holds a reference on its parent; dropping
 * the last reference on a node cancels it (if it can be canceled).
 */
#include "chan.h"
#include "sanitize.h"

#include <stdlib.h>

enum { CTX_BACKGROUND, CTX_CANCEL, CTX_VALUE, CTX_WITHOUT_CANCEL, CTX_AFTERFUNC };

/* an after-func node's state: armed, then started by its context's end or
 * stopped by gort_afterfunc_stop, whichever comes first */
enum { AF_ARMED, AF_STARTED, AF_STOPPED };
#define AF_LIVE 0x61667563u   /* af_magic of a handle not yet stopped */
#define AF_DEAD 0xdeadaf00u

struct gort_ctx {
    int        kind;
    int64_t    refs;          /* atomic */
    gort_ctx  *parent;        /* holds a reference; NULL for background */
    /* cancelable nodes */
    rt_lock    lock;
    uint32_t   err;           /* atomic; 0 while live */
    uint32_t   cause;         /* set with err, before it: the cause, or err */
    uint32_t   timer_cause;   /* the deadline timer's cause (0: err) */
    gort_chan *done;
    bool       has_deadline;
    int64_t    deadline;      /* own or inherited */
    timer      t;             /* deadline timer */
    bool       timer_armed;
    gort_ctx  *registered;    /* the ancestor whose children list holds us */
    gort_ctx  *children;      /* cancelable descendants registered here */
    gort_ctx  *sib_prev, *sib_next;
    gort_ctx  *close_next;    /* a canceler's list of nodes whose done it closes */
    /* value nodes */
    const void *key;
    void      *value;
    /* after-func nodes */
    void     (*af_fn)(void *);
    void      *af_arg;
    uint32_t   af_state;      /* atomic: AF_* */
    uint32_t   af_magic;      /* AF_LIVE until stopped: catches a second stop */
};

static gort_ctx background = { .kind = CTX_BACKGROUND, .lock = RT_LOCK_INIT(CTX) };

gort_ctx *gort_ctx_background(void)
{
    NOTE_THREAD();
    return &background;
}

/* The nearest cancelable node at or above c, or NULL (the background, or a
 * without-cancel node first). */
static gort_ctx *cancelable_of(gort_ctx *c)
{
    while (c && c->kind == CTX_VALUE)
        c = c->parent;
    return c && c->kind == CTX_CANCEL ? c : NULL;
}

gort_ctx *gort_ctx_ref(gort_ctx *c)
{
    NOTE_THREAD();
    if (c && c->kind != CTX_BACKGROUND && xadd(&c->refs, 1) <= 1)
        fatal("gort_ctx_ref: context already released");
    return c;
}

/* Takes a reference unless the node is already being released. */
static bool try_ref(gort_ctx *c)
{
    int64_t r = ld_acq(&c->refs);
    while (r > 0)
        if (__atomic_compare_exchange_n(&c->refs, &r, r + 1, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_ACQUIRE))
            return true;
    return false;
}

static void unlink_from_parent(gort_ctx *c)
{
    gort_ctx *p = c->registered;
    if (!p)
        return;
    rt_lock_acquire(&p->lock);
    if (c->registered == p) {   /* not detached by p's own cancellation */
        if (c->sib_prev)
            c->sib_prev->sib_next = c->sib_next;
        else
            p->children = c->sib_next;
        if (c->sib_next)
            c->sib_next->sib_prev = c->sib_prev;
        c->sib_prev = c->sib_next = NULL;
        c->registered = NULL;
    }
    rt_lock_release(&p->lock);
}

/* Ends one node: sets err (if not set) and returns its children
 * detached, each with a reference taken for the caller; *ended says
 * whether this call ended it (its done channel is then the caller's to
 * close). */
static gort_ctx *end_one(gort_ctx *c, uint32_t err, uint32_t cause, bool *ended)
{
    rt_lock_acquire(&c->lock);
    *ended = !c->err;
    if (c->err) {
        rt_lock_release(&c->lock);
        return NULL;
    }
    race_release(c);   /* seen by whoever reads err */
    st_rlx(&c->cause, cause ? cause : err);
    st_rel(&c->err, err);   /* publishes cause too: gort_ctx_cause loads err with acquire */
    gort_ctx *kids = NULL;
    for (gort_ctx *k = c->children, *next; k; k = next) {
        next = k->sib_next;
        k->sib_prev = k->sib_next = NULL;
        k->registered = NULL;
        if (try_ref(k)) {       /* else it is being released: it cancels itself */
            k->sib_next = kids;
            kids = k;
        }
    }
    c->children = NULL;
    rt_lock_release(&c->lock);
    return kids;
}

/* Tells the world that c has ended: its done channel closes, or its
 * after-func starts (unless stopped first). */
static void announce_end(gort_ctx *c)
{
    if (c->kind != CTX_AFTERFUNC) {
        gort_chan_close(c->done);
        return;
    }
    if (cas(&c->af_state, AF_ARMED, AF_STARTED)) {
        race_acquire(c);   /* what the registering goroutine did comes before fn */
        gort_go(c->af_fn, c->af_arg);   /* c may be stopped and freed at once */
    }
}

/* Two passes: every node of the tree gets its err first, then the done
 * channels close, top down.  So whoever wakes on a done channel (the
 * parent's, say, when a deadline timer cancels it) finds every descendant
 * ended too, not only the canceler when cancel returns (Go closes a
 * parent's channel before it cancels the children). */
static void cancel_tree(gort_ctx *c, uint32_t err, uint32_t cause)
{
    bool ended;
    gort_ctx *work = end_one(c, err, cause, &ended);
    cause = ld_rlx(&c->cause);   /* what the descendants inherit */
    if (!ended)
        return;
    gort_ctx *to_close = NULL, **tail = &to_close;   /* ended kids, in order, with refs */
    while (work) {
        gort_ctx *k = work;
        work = k->sib_next;
        k->sib_next = NULL;
        gort_ctx *kids = end_one(k, err, cause, &ended);
        while (kids) {
            gort_ctx *n = kids->sib_next;
            kids->sib_next = work;
            work = kids;
            kids = n;
        }
        if (ended) {
            *tail = k;
            tail = &k->close_next;
        } else {
            gort_ctx_unref(k);
        }
    }
    announce_end(c);
    while (to_close) {
        gort_ctx *k = to_close;
        to_close = k->close_next;
        k->close_next = NULL;
        announce_end(k);
        gort_ctx_unref(k);
    }
}

static void cancel(gort_ctx *c, uint32_t err, uint32_t cause)
{
    cancel_tree(c, err, cause);
    unlink_from_parent(c);
}

void gort_ctx_cancel(gort_ctx *c)
{
    gort_ctx_cancel_cause(c, 0);
}

void gort_ctx_cancel_cause(gort_ctx *c, int cause)
{
    NOTE_THREAD();
    c = c && c->kind == CTX_CANCEL ? c : NULL;   /* other nodes: no-op */
    if (c)
        cancel(c, GORT_CANCELED, (uint32_t)cause);
}

static void deadline_fire(void *arg, uint64_t seq, int64_t now)
{
    (void)seq;
    (void)now;
    gort_ctx *c = arg;
    cancel(c, GORT_DEADLINE_EXCEEDED, c->timer_cause);
}

/* A node of `kind` under `parent`, holding one reference for its creator
 * and one on its parent. */
static gort_ctx *node_new(gort_ctx *parent, int kind)
{
    NOTE_THREAD();
    gort__runtime_init();
    if (!parent)
        gort_panic("cannot create context from nil parent");
    gort_ctx *c = calloc(1, sizeof *c);
    if (!c)
        fatal("out of memory: cannot allocate a context");
    rt_lock_init(&c->lock, LOCK_RANK_CTX);
    c->kind = kind;
    c->refs = 1;
    c->parent = gort_ctx_ref(parent);
    return c;
}

/* Registers c (cancelable or after-func) with the nearest cancelable
 * ancestor of parent.  If that ancestor has already ended, c ends the same
 * way now, and the result is false. */
static bool register_with_ancestor(gort_ctx *c, gort_ctx *parent)
{
    gort_ctx *anc = cancelable_of(parent);
    if (!anc)
        return true;
    rt_lock_acquire(&anc->lock);
    uint32_t aerr = anc->err, acause = anc->cause;
    if (!aerr) {
        c->registered = anc;
        c->sib_next = anc->children;
        if (anc->children)
            anc->children->sib_prev = c;
        anc->children = c;
    }
    rt_lock_release(&anc->lock);
    if (aerr) {
        cancel_tree(c, aerr, acause);
        return false;
    }
    return true;
}

static gort_ctx *new_cancel(gort_ctx *parent, bool has_deadline, int64_t deadline, int timer_cause)
{
    gort_ctx *c = node_new(parent, CTX_CANCEL);
    c->done = gort_chan_make(0, 0);
    int64_t pd;
    if (gort_ctx_deadline(parent, &pd) && (!has_deadline || pd <= deadline)) {
        has_deadline = true;
        deadline = pd;
        c->t.fn = NULL;            /* the parent's timer will cancel us */
    } else if (has_deadline) {
        c->t.fn = deadline_fire;
        c->t.arg = c;
    }
    c->has_deadline = has_deadline;
    c->deadline = deadline;
    c->timer_cause = (uint32_t)timer_cause;

    if (!register_with_ancestor(c, parent))
        return c;
    if (c->t.fn) {
        if (deadline <= nanotime()) {
            cancel(c, GORT_DEADLINE_EXCEEDED, c->timer_cause);
        } else {
            c->timer_armed = true;
            timer_add(&c->t, deadline);
        }
    }
    return c;
}

gort_ctx *gort_ctx_with_cancel(gort_ctx *parent) { return new_cancel(parent, false, 0, 0); }

gort_ctx *gort_ctx_with_cancel_cause(gort_ctx *parent) { return new_cancel(parent, false, 0, 0); }

gort_ctx *gort_ctx_with_deadline(gort_ctx *parent, int64_t deadline)
{
    return new_cancel(parent, true, deadline, 0);
}

gort_ctx *gort_ctx_with_deadline_cause(gort_ctx *parent, int64_t deadline, int cause)
{
    return new_cancel(parent, true, deadline, cause);
}

static int64_t deadline_after(int64_t ns)
{
    int64_t d = nanotime() + ns;
    if (ns > 0 && d < 0)
        d = INT64_MAX;
    return d;
}

gort_ctx *gort_ctx_with_timeout(gort_ctx *parent, int64_t ns)
{
    return new_cancel(parent, true, deadline_after(ns), 0);
}

gort_ctx *gort_ctx_with_timeout_cause(gort_ctx *parent, int64_t ns, int cause)
{
    return new_cancel(parent, true, deadline_after(ns), cause);
}

gort_ctx *gort_ctx_without_cancel(gort_ctx *parent)
{
    return node_new(parent, CTX_WITHOUT_CANCEL);
}

gort_afterfunc *gort_ctx_after_func(gort_ctx *ctx, void (*fn)(void *arg), void *arg)
{
    if (!fn)
        fatal("go of nil func value");
    gort_ctx *c = node_new(ctx, CTX_AFTERFUNC);
    c->af_fn = fn;
    c->af_arg = arg;
    c->af_magic = AF_LIVE;
    race_release(c);   /* pairs with announce_end's acquire (the race detector's view) */
    register_with_ancestor(c, ctx);   /* an ended ctx starts fn at once */
    return (gort_afterfunc *)c;
}

bool gort_afterfunc_stop(gort_afterfunc *a)
{
    NOTE_THREAD();
    gort_ctx *c = (gort_ctx *)a;
    /* Best effort only: after the first stop the handle is freed memory,
     * so a second stop is undefined, as a second free() is (the sanitizers
     * report it); this catches it while the memory is not yet reused. */
    if (!c || c->kind != CTX_AFTERFUNC || c->af_magic != AF_LIVE)
        fatal("gort_afterfunc_stop: not a live AfterFunc handle (stopped twice?)");
    c->af_magic = AF_DEAD;
    bool stopped = cas(&c->af_state, AF_ARMED, AF_STOPPED);
    unlink_from_parent(c);
    gort_ctx_unref(c);
    return stopped;
}

gort_ctx *gort_ctx_with_value(gort_ctx *parent, const void *key, void *value)
{
    if (!key)
        gort_panic("nil key");
    gort_ctx *c = node_new(parent, CTX_VALUE);
    c->key = key;
    c->value = value;
    return c;
}

void gort_ctx_unref(gort_ctx *c)
{
    NOTE_THREAD();
    if (!c || c->kind == CTX_BACKGROUND)
        return;
    int64_t left = xadd(&c->refs, -1);
    if (left > 0)
        return;
    if (left < 0)
        fatal("gort_ctx_unref: context released twice");
    if (c->kind == CTX_CANCEL) {
        if (c->timer_armed) {
            timer_del(&c->t);
            timer_wait_idle(&c->t);
        }
        cancel(c, GORT_CANCELED, 0);   /* no-op if it already ended */
        gort_chan_unref(c->done);
    }
    gort_ctx *parent = c->parent;
    free(c);
    gort_ctx_unref(parent);
}

gort_chan *gort_ctx_done(gort_ctx *c)
{
    NOTE_THREAD();
    c = cancelable_of(c);
    return c ? c->done : NULL;
}

int gort_ctx_err(gort_ctx *c)
{
    NOTE_THREAD();
    c = cancelable_of(c);
    int err = c ? (int)ld_acq(&c->err) : 0;
    if (err)
        race_acquire(c);
    return err;
}

int gort_ctx_cause(gort_ctx *c)
{
    NOTE_THREAD();
    c = cancelable_of(c);
    /* The acquire load of err pairs with end_one's release store of it,
     * made after the cause: an err seen set brings its cause. */
    if (!c || !ld_acq(&c->err))
        return 0;
    race_acquire(c);
    return (int)ld_rlx(&c->cause);
}

bool gort_ctx_deadline(gort_ctx *c, int64_t *deadline)
{
    NOTE_THREAD();
    c = cancelable_of(c);
    if (!c || !c->has_deadline)
        return false;
    if (deadline)
        *deadline = c->deadline;
    return true;
}

void *gort_ctx_value(gort_ctx *c, const void *key)
{
    NOTE_THREAD();
    for (; c; c = c->parent)
        if (c->kind == CTX_VALUE && c->key == key)
            return c->value;
    return NULL;
}
