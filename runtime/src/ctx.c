/*
 * ctx.c — context: cancellation trees, deadlines, values (Go's context).
 *
 * Three kinds of node: the background root (never canceled, not counted),
 * cancelable nodes (with_cancel/timeout/deadline: a done channel, an err, a
 * list of cancelable descendants, maybe a deadline timer) and value nodes
 * (a key/value pair; done, err and deadline are those of the nearest
 * cancelable ancestor).  A cancelable node registers with its nearest
 * cancelable ancestor, which cancels it when it is canceled itself; a
 * child that ends first (canceled or released) unlinks itself, so a
 * long-lived parent does not grow.
 *
 * Locks: a node's lock guards its err and children; lock order is parent
 * before child.  Cancellation is synchronous and iterative (a chain of
 * 10,000 contexts must not recurse 10,000 frames deep on a goroutine
 * stack): the canceler takes a reference on each child it detaches, so a
 * child released meanwhile stays valid until it has been canceled.  The
 * first cause sticks.  A node holds a reference on its parent; dropping
 * the last reference on a node cancels it (if it can be canceled).
 */
#include "chan.h"
#include "sanitize.h"

#include <stdlib.h>

enum { CTX_BACKGROUND, CTX_CANCEL, CTX_VALUE };

struct gort_ctx {
    int        kind;
    int64_t    refs;          /* atomic */
    gort_ctx  *parent;        /* holds a reference; NULL for background */
    /* cancelable nodes */
    rt_lock    lock;
    uint32_t   err;           /* atomic; 0 while live */
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
};

static gort_ctx background = { .kind = CTX_BACKGROUND, .lock = RT_LOCK_INIT(CTX) };

gort_ctx *gort_ctx_background(void)
{
    NOTE_THREAD();
    return &background;
}

/* The nearest cancelable node at or above c, or NULL. */
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
static gort_ctx *end_one(gort_ctx *c, uint32_t err, bool *ended)
{
    rt_lock_acquire(&c->lock);
    *ended = !c->err;
    if (c->err) {
        rt_lock_release(&c->lock);
        return NULL;
    }
    race_release(c);   /* seen by whoever reads err */
    st_rel(&c->err, err);
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

/* Two passes: every node of the tree gets its err first, then the done
 * channels close, top down.  So whoever wakes on a done channel (the
 * parent's, say, when a deadline timer cancels it) finds every descendant
 * ended too, not only the canceler when cancel returns (Go closes a
 * parent's channel before it cancels the children). */
static void cancel_tree(gort_ctx *c, uint32_t err)
{
    bool ended;
    gort_ctx *work = end_one(c, err, &ended);
    if (!ended)
        return;
    gort_ctx *to_close = NULL, **tail = &to_close;   /* ended kids, in order, with refs */
    while (work) {
        gort_ctx *k = work;
        work = k->sib_next;
        k->sib_next = NULL;
        gort_ctx *kids = end_one(k, err, &ended);
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
    gort_chan_close(c->done);
    while (to_close) {
        gort_ctx *k = to_close;
        to_close = k->close_next;
        k->close_next = NULL;
        gort_chan_close(k->done);
        gort_ctx_unref(k);
    }
}

static void cancel(gort_ctx *c, uint32_t err)
{
    cancel_tree(c, err);
    unlink_from_parent(c);
}

void gort_ctx_cancel(gort_ctx *c)
{
    NOTE_THREAD();
    c = c && c->kind == CTX_CANCEL ? c : NULL;   /* background and value nodes: no-op */
    if (c)
        cancel(c, GORT_CANCELED);
}

static void deadline_fire(void *arg, uint64_t seq, int64_t now)
{
    (void)seq;
    (void)now;
    cancel(arg, GORT_DEADLINE_EXCEEDED);
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

static gort_ctx *new_cancel(gort_ctx *parent, bool has_deadline, int64_t deadline)
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

    /* Register with the nearest cancelable ancestor, or inherit its end. */
    gort_ctx *anc = cancelable_of(parent);
    if (anc) {
        rt_lock_acquire(&anc->lock);
        uint32_t aerr = anc->err;
        if (!aerr) {
            c->registered = anc;
            c->sib_next = anc->children;
            if (anc->children)
                anc->children->sib_prev = c;
            anc->children = c;
        }
        rt_lock_release(&anc->lock);
        if (aerr) {
            cancel_tree(c, aerr);
            return c;
        }
    }
    if (c->t.fn) {
        if (deadline <= nanotime()) {
            cancel(c, GORT_DEADLINE_EXCEEDED);
        } else {
            c->timer_armed = true;
            timer_add(&c->t, deadline);
        }
    }
    return c;
}

gort_ctx *gort_ctx_with_cancel(gort_ctx *parent) { return new_cancel(parent, false, 0); }

gort_ctx *gort_ctx_with_deadline(gort_ctx *parent, int64_t deadline)
{
    return new_cancel(parent, true, deadline);
}

gort_ctx *gort_ctx_with_timeout(gort_ctx *parent, int64_t ns)
{
    int64_t d = nanotime() + ns;
    if (ns > 0 && d < 0)
        d = INT64_MAX;
    return new_cancel(parent, true, d);
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
        cancel(c, GORT_CANCELED);   /* no-op if it already ended */
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
