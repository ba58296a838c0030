/*
 * netpoll.c — the network poller: goroutines wait for descriptors to become
 * ready without holding a thread (Go's netpoll.go + netpoll_epoll.go), and
 * the I/O calls built on it (gort_fd_wait, gort_read, gort_write,
 * gort_accept, gort_connect).
 *
 * One epoll instance for the process, created with the runtime, with an
 * eventfd to interrupt a blocked epoll_wait.  Each descriptor number has a
 * poll descriptor (pd, never freed: numbers are bounded by RLIMIT_NOFILE)
 * holding, per direction (read, write), the goroutine parked on it or a
 * "ready" edge that arrived while nobody waited.  Descriptors are
 * registered edge-triggered for both directions.
 *
 * Registration.  C programs close descriptors with close(2), which the
 * runtime does not see; the kernel then drops the registration, and the
 * number may come back as another file.  So a registration is not trusted:
 * every wait that is about to park re-adds the descriptor (EPOLL_CTL_ADD;
 * EEXIST means it is still registered; a fresh registration reports the
 * file's current readiness as its first edge).  That is one system call
 * per park that Go saves (its Close goes through the poller).
 *
 * Level, not edge, for the caller.  epoll is edge-triggered inside, but
 * what a caller sees is level-triggered: a descriptor that is ready when a
 * wait starts is reported at once.  Per direction a pd keeps `seq` (edges
 * delivered so far) and `maybe_ready` (false only while the runtime knows
 * the file is not ready: an attempt saw EAGAIN, or poll(2) said so, and no
 * edge came since).  The I/O calls try the operation first and wait only
 * after EAGAIN: they read `seq` before the attempt, and park only if no
 * edge arrived after it (else they try again), so the common case costs no
 * system call beyond the operation.  gort_fd_wait, which consumes nothing,
 * checks the level with poll(2) only while `maybe_ready` is set; otherwise
 * it parks at once.
 *
 * Several waiters.  Any number of goroutines may wait on one descriptor in
 * one direction (goroutines accepting on one listener, readers of one
 * pipe), FIFO.  An edge wakes every gort_fd_wait waiter (they consume
 * nothing: the level holds for all of them) and one I/O waiter.  An I/O
 * waiter woken by an edge that does not find EAGAIN (it got data, a
 * connection, EOF or an error: the descriptor may still be ready for
 * others) passes the wake-up on to the next I/O waiter before it returns;
 * one that finds EAGAIN waits again.  So an edge costs about two wake-ups
 * however many wait, and no waiter sleeps while the descriptor is ready
 * for it (Go gets the same effect from the descriptor's read/write lock,
 * which admits one goroutine to the poller at a time).
 *
 * Who polls.  An M with nothing to run and no timer sleeper role taken
 * blocks in epoll_wait until the earliest timer (sched.c: timed_sleep), so
 * timers and descriptors share the one sleeping thread; a new earlier
 * timer interrupts it through the eventfd.  An M about to go idle first
 * polls without blocking.  sysmon (sysmon.c) polls when goroutines wait and
 * nobody has polled for 10 ms, so a program whose threads never go idle
 * still sees its descriptors.
 *
 * Waking.  A waiter is one of two kinds of event: the descriptor's edge
 * (delivered under the pd's lock) or its context's end (the ctx's done
 * channel closing, delivered under that channel's lock, through a sudog on
 * the channel's receive queue).  Both sides CAS the waiter's `done` word
 * 0 -> 1, as a select's cases do; the winner readies the goroutine.  An
 * edge that loses to the context goes to the next I/O waiter.  The waiter
 * lives on the parked goroutine's stack; it removes itself from the pd and
 * from the channel (each under its lock) before returning.
 *
 * Errors are values: the I/O calls return a negative errno (-ECANCELED,
 * -ETIMEDOUT for a ctx that ended), never -1 with errno alone, because a
 * goroutine may come back from a park on another thread and the compiler
 * may keep the old thread's errno address.  errno is read right after
 * each system call through get_errno(), which the compiler cannot see
 * into.
 *
 * Invariants: a pd's waiter lists, `seq` and `maybe_ready` change only
 * under pd->lock (`seq` is read without it before an attempt); a waiter is
 * on its list exactly while it is parked and nobody has won its `done`;
 * sched's poller waiter count is the number of goroutines between
 * registering as a waiter and leaving.
 */
#include "internal.h"
#include "chan.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { DIR_READ = 0, DIR_WRITE = 1 };

typedef struct fd_waiter {
    G        *g;
    uint32_t  done;        /* 0 -> 1 by whoever wakes g: the edge or the ctx */
    sudog    *winner;      /* set by the ctx's channel when it won */
    bool      by_edge;     /* set by the poller when it won */
    bool      consumes;    /* an I/O call (it will retry), not gort_fd_wait */
    bool      queued;      /* on its pd_dir's list */
    struct fd_waiter *next, *prev;
} fd_waiter;

/* One direction of a poll descriptor; everything under the pd's lock. */
typedef struct pd_dir {
    fd_waiter *first, *last;  /* parked goroutines, FIFO */
    uint32_t   seq;           /* edges delivered (read racily before an attempt) */
    bool       maybe_ready;   /* false: known not ready since the last edge */
} pd_dir;

typedef struct poll_desc {
    rt_lock    lock;
    pd_dir     dir[2];     /* DIR_READ, DIR_WRITE */
    uint8_t    not_socket; /* atomic: recv/send said ENOTSOCK: use read/write */
} poll_desc;

static struct {
    pthread_once_t once;
    int        epfd, evfd;
    uint32_t   inited;     /* atomic: set (release) once epfd and evfd are ready */
    rt_lock    grow_lock;
    poll_desc **table;     /* by descriptor number; grows, old tables kept */
    int        cap;
    poll_desc **old[32];   /* the tables it grew out of (readers may still use one) */
    int        nold;
    int32_t    waiters;    /* atomic: goroutines parked on descriptors */
    uint32_t   break_pending;  /* atomic: the eventfd has an unread wake-up */
    int64_t    last_poll;  /* atomic: nanotime() of the last epoll_wait return */
} np = { .once = PTHREAD_ONCE_INIT, .epfd = -1, .evfd = -1, .grow_lock = RT_LOCK_INIT(NETPOLL_GROW) };

/* errno right after a system call.  The caller may have parked earlier in
 * the same function and resumed on another thread, and __errno_location()
 * is declared const, so an inlined read could use the old thread's errno
 * address.  A call the compiler cannot see into computes it afresh. */
__attribute__((noinline)) static int get_errno(void)
{
    __asm__ volatile("" ::: "memory");
    return errno;
}

/* ---- the epoll instance ----------------------------------------------- */

static void netpoll_init_once(void)
{
    np.epfd = epoll_create1(EPOLL_CLOEXEC);
    if (np.epfd < 0)
        fatal("netpoll: epoll_create1 failed: %s", strerror(errno));
    np.evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (np.evfd < 0)
        fatal("netpoll: eventfd failed: %s", strerror(errno));
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
    if (epoll_ctl(np.epfd, EPOLL_CTL_ADD, np.evfd, &ev) != 0)
        fatal("netpoll: epoll_ctl(eventfd) failed: %s", strerror(errno));
    st_rlx(&np.last_poll, nanotime());
    st_rel(&np.inited, 1);   /* threads that see it see the descriptors (and TSan knows) */
}

/* Called by the runtime's initialisation (sched.c), before any M or
 * goroutine exists, so that every thread that later polls sees the
 * instance made (ThreadSanitizer's model of descriptors wants that edge,
 * and lazily from a goroutine it was not seen through the flag alone). */
void netpoll_init(void)
{
    pthread_once(&np.once, netpoll_init_once);
}

bool netpoll_inited(void)
{
    return ld_acq(&np.inited) != 0;
}

int32_t netpoll_waiters(void)
{
    return ld_acq(&np.waiters);
}

int64_t netpoll_last_poll(void)
{
    return ld_rlx(&np.last_poll);
}

/* Interrupts a blocked netpoll().  Cheap when one is already pending. */
void netpoll_break(void)
{
    if (!netpoll_inited() || xchg(&np.break_pending, 1) != 0)
        return;
    uint64_t one = 1;
    while (write(np.evfd, &one, sizeof one) < 0 && errno == EINTR) {
    }
}

static poll_desc *pd_get(int fd)
{
    int cap = ld_acq(&np.cap);
    poll_desc **t = ld_acq(&np.table);
    poll_desc *pd = fd < cap ? ld_acq(&t[fd]) : NULL;
    if (pd)
        return pd;
    rt_lock_acquire(&np.grow_lock);
    if (fd >= np.cap) {
        int grown = np.cap ? np.cap : 1024;
        while (grown <= fd)
            grown *= 2;
        poll_desc **n = calloc((size_t)grown, sizeof *n);
        if (!n)
            fatal("out of memory: poll descriptor table for fd %d", fd);
        if (np.table) {
            memcpy(n, np.table, (size_t)np.cap * sizeof *n);
            /* Readers may still hold the old table: it is kept, not freed
             * (each table is twice the last, so they sum to less than the
             * newest; 32 doublings exceed any descriptor number). */
            np.old[np.nold++] = np.table;
        }
        st_rel(&np.table, n);
        st_rel(&np.cap, grown);
    }
    pd = np.table[fd];
    if (!pd) {
        pd = calloc(1, sizeof *pd);
        if (!pd)
            fatal("out of memory: poll descriptor for fd %d", fd);
        rt_lock_init(&pd->lock, LOCK_RANK_NETPOLL_PD);
        st_rel(&np.table[fd], pd);
    }
    rt_lock_release(&np.grow_lock);
    return pd;
}

/* Registers fd (again, if close(2) dropped it).  Returns 0 or an errno.
 * A fresh registration may be another file than the pd last saw: its
 * state is unknown, so both directions may be ready. */
static int pd_register(int fd, poll_desc *pd)
{
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                              .data.ptr = pd };
    if (epoll_ctl(np.epfd, EPOLL_CTL_ADD, fd, &ev) == 0) {
        rt_lock_acquire(&pd->lock);
        pd->dir[DIR_READ].maybe_ready = pd->dir[DIR_WRITE].maybe_ready = true;
        rt_lock_release(&pd->lock);
        return 0;
    }
    int e = get_errno();
    return e == EEXIST ? 0 : e;
}

static void waiter_enqueue(pd_dir *dir, fd_waiter *w)
{
    w->next = NULL;
    w->prev = dir->last;
    if (dir->last)
        dir->last->next = w;
    else
        dir->first = w;
    dir->last = w;
    w->queued = true;
}

static void waiter_remove(pd_dir *dir, fd_waiter *w)
{
    if (!w->queued)
        return;
    if (w->prev)
        w->prev->next = w->next;
    else
        dir->first = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        dir->last = w->prev;
    w->next = w->prev = NULL;
    w->queued = false;
}

/* Wins w for the edge (unless its ctx won first) and takes it off the
 * list; true if the edge won. */
static bool waiter_claim(pd_dir *dir, fd_waiter *w)
{
    waiter_remove(dir, w);
    if (!cas(&w->done, 0, 1))
        return false;
    w->by_edge = true;
    return true;
}

static void glist_push(G **head, G **tail, G *g)
{
    st_rlx(&g->status, G_RUNNABLE);
    trace_go_unpark(g);
    g->schedlink = NULL;
    if (*tail)
        (*tail)->schedlink = g;
    else
        *head = g;
    *tail = g;
}

/* Wakes the first I/O waiter that its ctx has not already won.  Called
 * with pd->lock held; the goroutine goes on the list. */
static int wake_one_consumer(pd_dir *dir, G **head, G **tail)
{
    for (fd_waiter *w = dir->first, *next; w; w = next) {
        next = w->next;
        if (w->consumes && waiter_claim(dir, w)) {
            glist_push(head, tail, w->g);
            return 1;
        }
    }
    return 0;
}

/* An edge in one direction (pd->lock held): every gort_fd_wait waiter and
 * one I/O waiter are woken, linked onto the list.  Returns how many. */
static int pd_edge(pd_dir *dir, G **head, G **tail)
{
    st_rel(&dir->seq, dir->seq + 1);   /* io_seq reads it without the lock */
    dir->maybe_ready = true;
    int n = 0;
    for (fd_waiter *w = dir->first, *next; w; w = next) {
        next = w->next;
        if (!w->consumes && waiter_claim(dir, w)) {
            glist_push(head, tail, w->g);
            n++;
        }
    }
    return n + wake_one_consumer(dir, head, tail);
}

/* Polls once: blocks until `until` (nanotime clock; 0: do not block;
 * INT64_MAX: until an edge or netpoll_break).  Returns the goroutines made
 * runnable, linked through schedlink, their count in *n. */
G *netpoll(int64_t until, int *n)
{
    *n = 0;
    if (!netpoll_inited())
        return NULL;
    struct epoll_event evs[128];
    int got;
    for (;;) {
        int timeout_ms = 0;
        if (until == INT64_MAX) {
            timeout_ms = -1;
        } else if (until != 0) {
            int64_t left = until - nanotime();
            if (left > 0) {
                /* round up: waking early only loops the scheduler once */
                int64_t ms = (left + 999999) / 1000000;
                timeout_ms = ms > 1000000 ? 1000000 : (int)ms;
            }
        }
        got = epoll_wait(np.epfd, evs, (int)(sizeof evs / sizeof evs[0]), timeout_ms);
        if (got >= 0 || errno != EINTR)
            break;
        if (until == 0)
            return NULL;
    }
    st_rlx(&np.last_poll, nanotime());
    G *head = NULL, *tail = NULL;
    for (int i = 0; i < got; i++) {
        poll_desc *pd = evs[i].data.ptr;
        uint32_t e = evs[i].events;
        if (!pd) {
            /* The eventfd: netpoll_break wants the blocked poller (the
             * timed sleeper) to wake and look at the timers again.  Only a
             * blocking poll consumes it: a non-blocking one (findrunnable's,
             * sysmon's) that drained it would leave the sleeper asleep in
             * epoll_wait with a new timer due (Go's netpoll does the same;
             * found by 1,000 goroutines accepting on one listener, whose
             * sysmon polls, with a 2 ms gort_sleep that never returned). */
            if (until != 0) {
                uint64_t v;
                while (read(np.evfd, &v, sizeof v) < 0 && errno == EINTR) {
                }
                st_rel(&np.break_pending, 0);
            }
            continue;
        }
        rt_lock_acquire(&pd->lock);
        if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            *n += pd_edge(&pd->dir[DIR_READ], &head, &tail);
        if (e & (EPOLLOUT | EPOLLHUP | EPOLLERR))
            *n += pd_edge(&pd->dir[DIR_WRITE], &head, &tail);
        rt_lock_release(&pd->lock);
    }
    return head;
}

/* ---- waiting ------------------------------------------------------------ */

static const short dir_events[2] = { POLLIN, POLLOUT };

typedef struct wait_locks {
    poll_desc *pd;
    gort_chan *done;    /* the ctx's done channel, locked too, or NULL */
} wait_locks;

static bool unlock_wait(G *g, void *arg)
{
    (void)g;
    wait_locks *l = arg;
    if (l->done)
        chan_unlock(l->done);
    rt_lock_release(&l->pd->lock);
    return true;
}

static int ctx_error(gort_ctx *ctx)
{
    return ctx ? gort_ctx_err(ctx) : 0;
}

/* A plain thread has no goroutine to park: it blocks in poll(2), waking
 * every 10 ms to look at its ctx.  Returns as wait_fd does. */
static int wait_fd_thread(int fd, int d, gort_ctx *ctx)
{
    struct pollfd p = { .fd = fd, .events = dir_events[d] };
    for (;;) {
        int r = poll(&p, 1, ctx ? 10 : -1);
        if (r > 0)
            return p.revents & POLLNVAL ? -EBADF : 0;
        if (r < 0 && get_errno() != EINTR)
            return -get_errno();
        int err = ctx_error(ctx);
        if (err)
            return err;
    }
}

/* How a wait starts.  gort_fd_wait (`consumes` false) wants the level: it
 * parks only when the descriptor is not ready now.  An I/O call (`consumes`
 * true) has just seen EAGAIN after reading the direction's edge count
 * `seq0`: it parks only if no edge has arrived since (else it should try
 * again, and wait_fd returns 0 at once). */
typedef struct wait_how {
    bool     consumes;
    uint32_t seq0;
} wait_how;

/* Called with pd->lock held: true if the wait is over before it parks. */
static bool ready_now(int fd, pd_dir *dir, int d, const wait_how *how)
{
    if (how->consumes) {
        if (dir->seq != how->seq0)
            return true;        /* an edge since the attempt: try again */
        dir->maybe_ready = false;
        return false;
    }
    if (!dir->maybe_ready)
        return false;
    /* Maybe ready (an edge, or a fresh registration), but the program may
     * have read or written since without us: ask.  Under the lock, so an
     * edge that arrives after the answer finds us queued. */
    struct pollfd p = { .fd = fd, .events = dir_events[d] };
    if (poll(&p, 1, 0) != 0)
        return true;
    dir->maybe_ready = false;
    return false;
}

/* Parks the calling goroutine until fd is ready in direction d or ctx
 * ends.  Returns 0 (ready, or an I/O caller should try again), a GORT_*
 * ctx error, or -errno when fd cannot be polled (e.g. a regular file:
 * -EPERM).  *by_edge says whether an edge woke it. */
static int wait_fd(int fd, int d, gort_ctx *ctx, const wait_how *how, bool *by_edge)
{
    *by_edge = false;
    int err = ctx_error(ctx);
    if (err)
        return err;
    G *self = gort__getg();
    if (!self)
        return wait_fd_thread(fd, d, ctx);
    poll_desc *pd = pd_get(fd);   /* (a goroutine exists: the poller was made with the runtime) */
    int e = pd_register(fd, pd);
    if (e)
        return -e;
    pd_dir *dir = &pd->dir[d];
    gort_chan *done = ctx ? gort_ctx_done(ctx) : NULL;
    fd_waiter w = { .g = self, .consumes = how->consumes };
    sudog s = { .g = self, .c = done, .select_done = &w.done, .select_winner = &w.winner };

    rt_lock_acquire(&pd->lock);
    if (ready_now(fd, dir, d, how)) {
        rt_lock_release(&pd->lock);
        return 0;
    }
    if (done) {
        chan_lock(done);
        if (!chan_wait_recv_locked(done, &s)) {
            chan_unlock(done);
            rt_lock_release(&pd->lock);
            return ctx_error(ctx);
        }
    }
    waiter_enqueue(dir, &w);
    if (xadd(&np.waiters, 1) == 1)
        sysmon_wake_up();
    poller_wanted();
    wait_locks l = { pd, done };
    park_g(self, unlock_wait, &l, WAIT_IO);
    xadd(&np.waiters, -1);

    /* Leave both queues; the loser of the race finds nothing to do. */
    rt_lock_acquire(&pd->lock);
    waiter_remove(dir, &w);
    rt_lock_release(&pd->lock);
    if (done)
        chan_cancel_wait_recv(done, &s);
    if (w.by_edge) {
        *by_edge = true;
        return 0;
    }
    return ctx_error(ctx) ? ctx_error(ctx) : GORT_CANCELED;
}

/* ---- the public calls -------------------------------------------------- */

static int dir_of(short events)
{
    return (events & POLLOUT) && !(events & POLLIN) ? DIR_WRITE : DIR_READ;
}

int gort_fd_wait(int fd, short events, gort_ctx *ctx)
{
    NOTE_THREAD();
    if (fd < 0)
        return -EBADF;
    if ((events & (POLLIN | POLLOUT)) == (POLLIN | POLLOUT))
        gort_panic("gort_fd_wait: wait for POLLIN or POLLOUT, not both (fd %d)", fd);
    wait_how how = { .consumes = false };
    bool by_edge;
    return wait_fd(fd, dir_of(events), ctx, &how, &by_edge);
}

/* The error value for a ctx that ended: -ECANCELED or -ETIMEDOUT. */
static int ctx_errno(int err)
{
    return err == GORT_DEADLINE_EXCEEDED ? -ETIMEDOUT : -ECANCELED;
}

/* 0, or -errno. */
static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -get_errno();
    if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -get_errno();
    return 0;
}

/* One I/O call in progress on one descriptor and direction. */
typedef struct io_op {
    int        fd, d;
    gort_ctx  *ctx;
    poll_desc *pd;       /* NULL on a plain thread until it needs one */
    bool       by_edge;  /* its last wait was ended by an edge */
} io_op;

/* The I/O calls' common start: 0, or the error to return (a bad
 * descriptor, or a ctx that has already ended). */
static int io_begin(io_op *op, int fd, int d, gort_ctx *ctx)
{
    *op = (io_op){ .fd = fd, .d = d, .ctx = ctx };
    if (fd < 0)
        return -EBADF;
    int err = ctx_error(ctx);
    if (err)
        return ctx_errno(err);
    op->pd = pd_get(fd);
    return 0;
}

/* The direction's edge count, read before an attempt. */
static uint32_t io_seq(const io_op *op)
{
    return ld_acq(&op->pd->dir[op->d].seq);
}

/* After an attempt that said EAGAIN (read seq0 before it): 0 to try again,
 * or the error to return. */
static int io_wait(io_op *op, uint32_t seq0)
{
    wait_how how = { .consumes = true, .seq0 = seq0 };
    int r = wait_fd(op->fd, op->d, op->ctx, &how, &op->by_edge);
    if (r > 0)
        return ctx_errno(r);
    return r;
}

/* The call ends with `result` (anything but EAGAIN): if an edge woke it,
 * the descriptor may still be ready for the next I/O waiter, which is
 * woken to try (see "Several waiters" above). */
static ssize_t io_end(io_op *op, ssize_t result)
{
    if (!op->by_edge || !gort__getg())
        return result;
    G *head = NULL, *tail = NULL;
    pd_dir *dir = &op->pd->dir[op->d];
    rt_lock_acquire(&op->pd->lock);
    int n = dir->first ? wake_one_consumer(dir, &head, &tail) : 0;
    rt_lock_release(&op->pd->lock);
    if (n)
        ready(head);
    return result;
}

/* One non-blocking attempt in op's direction: the count, or -errno
 * (-EAGAIN when it would block).  A socket is used with MSG_DONTWAIT (its
 * flags untouched); anything else is switched to O_NONBLOCK, as Go does
 * with the descriptors it polls. */
static ssize_t try_io(const io_op *op, void *buf, size_t n)
{
    bool out = op->d == DIR_WRITE;
    if (!ld_rlx(&op->pd->not_socket)) {
        ssize_t r = out ? send(op->fd, buf, n, MSG_DONTWAIT) : recv(op->fd, buf, n, MSG_DONTWAIT);
        if (r >= 0)
            return r;
        int e = get_errno();
        if (e != ENOTSOCK)
            return -e;
        st_rlx(&op->pd->not_socket, 1);
    }
    int e = set_nonblock(op->fd);
    if (e)
        return e;
    ssize_t r = out ? write(op->fd, buf, n) : read(op->fd, buf, n);
    return r >= 0 ? r : -get_errno();
}

static bool would_block(ssize_t r)
{
    return r == -EAGAIN || r == -EWOULDBLOCK;
}

ssize_t gort_read(int fd, void *buf, size_t n, gort_ctx *ctx)
{
    NOTE_THREAD();
    io_op op;
    int e = io_begin(&op, fd, DIR_READ, ctx);
    if (e)
        return e;
    for (;;) {
        uint32_t seq = io_seq(&op);
        ssize_t r = try_io(&op, buf, n);
        if (r == -EINTR)
            continue;
        if (!would_block(r))
            return io_end(&op, r);
        if ((e = io_wait(&op, seq)) != 0)
            return e;
    }
}

ssize_t gort_write(int fd, const void *buf, size_t n, gort_ctx *ctx)
{
    NOTE_THREAD();
    io_op op;
    int e = io_begin(&op, fd, DIR_WRITE, ctx);
    if (e)
        return e;
    size_t done = 0;
    while (done < n) {
        uint32_t seq = io_seq(&op);
        ssize_t r = try_io(&op, (char *)buf + done, n - done);
        if (r >= 0)
            done += (size_t)r;
        else if (!would_block(r) && r != -EINTR)
            return io_end(&op, r);
        else if (would_block(r) && (e = io_wait(&op, seq)) != 0)
            return e;
    }
    return io_end(&op, (ssize_t)n);
}

int gort_accept(int fd, struct sockaddr *addr, socklen_t *len, gort_ctx *ctx)
{
    NOTE_THREAD();
    io_op op;
    int e = io_begin(&op, fd, DIR_READ, ctx);
    if (e)
        return e;
    if ((e = set_nonblock(fd)) != 0)
        return e;
    for (;;) {
        uint32_t seq = io_seq(&op);
        int c = accept(fd, addr, len);
        int r = c >= 0 ? c : -get_errno();
        if (r == -EINTR || r == -ECONNABORTED)
            continue;
        if (!would_block(r))
            return (int)io_end(&op, r);
        if ((e = io_wait(&op, seq)) != 0)
            return e;
    }
}

int gort_connect(int fd, const struct sockaddr *addr, socklen_t len, gort_ctx *ctx)
{
    NOTE_THREAD();
    io_op op;
    int e = io_begin(&op, fd, DIR_WRITE, ctx);
    if (e)
        return e;
    if ((e = set_nonblock(fd)) != 0)
        return e;
    uint32_t seq = io_seq(&op);
    if (connect(fd, addr, len) == 0)
        return 0;
    e = get_errno();
    if (e != EINPROGRESS && e != EINTR)
        return -e;
    /* Interrupted or not, the connection goes on: wait until writable. */
    while ((e = io_wait(&op, seq)) == 0) {
        seq = io_seq(&op);
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        if (poll(&p, 1, 0) != 0)
            break;                 /* an edge since, or a plain thread's wait */
    }
    if (e)
        return e;
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
        soerr = get_errno();
    return (int)io_end(&op, soerr ? -soerr : 0);
}

/* ---- test interface (conformance/internal) ---- */

/* The descriptor table's capacity; *nold: the tables it grew out of.  Read
 * under the growth lock.  For the white-box tests; the runtime never calls
 * it. */
int netpoll_test_table(int *nold)
{
    rt_lock_acquire(&np.grow_lock);
    int cap = np.cap;
    *nold = np.nold;
    for (int i = 0; i < np.nold; i++)
        if (!np.old[i])
            fatal("netpoll: old descriptor table %d is missing", i);
    rt_lock_release(&np.grow_lock);
    return cap;
}
