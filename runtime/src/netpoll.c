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
 * EEXIST means it is still registered).  That is one system call per park
 * that Go saves (its Close goes through the poller).  A stale "ready" edge
 * from a closed file costs at most one spurious wake-up, which callers
 * absorb (they retry the operation, which says EAGAIN).
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
 * edge that loses to the context is kept as the pd's ready flag.  The
 * waiter lives on the parked goroutine's stack; it removes itself from the
 * pd and from the channel (each under its lock) before returning.
 *
 * Invariants: at most one goroutine waits per (descriptor, direction) —
 * a second is Go's fatal "double wait"; pd->waiter[d] is set and cleared
 * only under pd->lock; sched's poller waiter count is the number of
 * goroutines between registering as a waiter and leaving.
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
} fd_waiter;

typedef struct poll_desc {
    rt_lock    lock;
    fd_waiter *waiter[2];  /* parked goroutine per direction, or NULL */
    bool       ready[2];   /* an edge nobody consumed yet */
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
} np = { .once = PTHREAD_ONCE_INIT, .epfd = -1, .evfd = -1 };

/* errno after a park: the goroutine may have moved to another thread, and
 * __errno_location() is declared const, so the compiler may reuse the old
 * thread's errno address (../shared/NOTES.md).  A call it cannot see into
 * computes it afresh. */
__attribute__((noinline)) static void set_errno(int e)
{
    errno = e;
    __asm__ volatile("" ::: "memory");
}

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
        st_rel(&np.table[fd], pd);
    }
    rt_lock_release(&np.grow_lock);
    return pd;
}

/* Registers fd (again, if close(2) dropped it).  Returns 0 or an errno. */
static int pd_register(int fd, poll_desc *pd)
{
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                              .data.ptr = pd };
    if (epoll_ctl(np.epfd, EPOLL_CTL_ADD, fd, &ev) == 0 || get_errno() == EEXIST)
        return 0;
    return get_errno();
}

/* The goroutine an edge wakes, or NULL (the edge is then kept). */
static G *pd_edge(poll_desc *pd, int d)
{
    fd_waiter *w = pd->waiter[d];
    if (w && cas(&w->done, 0, 1)) {
        w->by_edge = true;
        pd->waiter[d] = NULL;
        return w->g;
    }
    pd->ready[d] = true;
    return NULL;
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
        if (!pd) {   /* the eventfd */
            uint64_t v;
            while (read(np.evfd, &v, sizeof v) < 0 && errno == EINTR) {
            }
            st_rel(&np.break_pending, 0);
            continue;
        }
        G *woken[2] = { NULL, NULL };
        rt_lock_acquire(&pd->lock);
        if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            woken[DIR_READ] = pd_edge(pd, DIR_READ);
        if (e & (EPOLLOUT | EPOLLHUP | EPOLLERR))
            woken[DIR_WRITE] = pd_edge(pd, DIR_WRITE);
        rt_lock_release(&pd->lock);
        for (int d = 0; d < 2; d++) {
            G *g = woken[d];
            if (!g)
                continue;
            st_rlx(&g->status, G_RUNNABLE);
            g->schedlink = NULL;
            if (tail)
                tail->schedlink = g;
            else
                head = g;
            tail = g;
            (*n)++;
        }
    }
    return head;
}

/* ---- waiting ------------------------------------------------------------ */

typedef struct wait_locks {
    poll_desc *pd;
    gort_chan *done;    /* the ctx's done channel, locked too, or NULL */
} wait_locks;

static bool unlock_wait(G *g, void *arg)
{
    (void)g;
    wait_locks *l = arg;
    if (l->done)
        rt_lock_release(&l->done->lock);
    rt_lock_release(&l->pd->lock);
    return true;
}

static int ctx_error(gort_ctx *ctx)
{
    return ctx ? gort_ctx_err(ctx) : 0;
}

/* Parks the calling goroutine until fd is ready in direction d or ctx
 * ends.  Returns 0 (ready), a GORT_* ctx error, or -errno when fd cannot
 * be polled (e.g. a regular file: EPERM). */
static int wait_fd(int fd, int d, gort_ctx *ctx, bool verify)
{
    int err = ctx_error(ctx);
    if (err)
        return err;
    G *self = gort__getg();
    if (!self) {
        /* A plain thread has no goroutine to park: it blocks in poll(2). */
        struct pollfd p = { .fd = fd, .events = d == DIR_READ ? POLLIN : POLLOUT };
        for (;;) {
            int r = poll(&p, 1, ctx ? 10 : -1);
            if (r > 0)
                return 0;
            if (r < 0 && errno != EINTR)
                return -errno;
            if ((err = ctx_error(ctx)))
                return err;
        }
    }
    poll_desc *pd = pd_get(fd);   /* (a goroutine exists: the poller was made with the runtime) */
    int e = pd_register(fd, pd);
    if (e)
        return -e;
    gort_chan *done = ctx ? gort_ctx_done(ctx) : NULL;
    fd_waiter w = { .g = self };
    sudog s = { .g = self, .c = done, .select_done = &w.done, .select_winner = &w.winner };

    rt_lock_acquire(&pd->lock);
    if (pd->ready[d]) {
        pd->ready[d] = false;
        /* The edge may be stale (its data already read, or its file
         * closed): gort_fd_wait promises readiness, so it checks. */
        struct pollfd p = { .fd = fd, .events = d == DIR_READ ? POLLIN : POLLOUT };
        if (!verify || poll(&p, 1, 0) != 0) {
            rt_lock_release(&pd->lock);
            return 0;
        }
    }
    if (pd->waiter[d]) {
        uint64_t other = pd->waiter[d]->g ? pd->waiter[d]->g->id : 0;
        rt_lock_release(&pd->lock);
        fatal("runtime: double wait (goroutine %llu and goroutine %llu both wait to %s fd %d)",
              (unsigned long long)other, (unsigned long long)self->id,
              d == DIR_READ ? "read" : "write", fd);
    }
    if (done) {
        rt_lock_acquire(&done->lock);
        if (ld_rlx(&done->closed)) {
            rt_lock_release(&done->lock);
            rt_lock_release(&pd->lock);
            return ctx_error(ctx);
        }
        waitq_enqueue(&done->recvq, &s);
    }
    pd->waiter[d] = &w;
    if (xadd(&np.waiters, 1) == 1)
        sysmon_wake_up();
    poller_wanted();
    wait_locks l = { pd, done };
    park_g(self, unlock_wait, &l, WAIT_IO);
    xadd(&np.waiters, -1);

    /* Leave both queues; the loser of the race finds nothing to do. */
    rt_lock_acquire(&pd->lock);
    if (pd->waiter[d] == &w)
        pd->waiter[d] = NULL;
    rt_lock_release(&pd->lock);
    if (done) {
        rt_lock_acquire(&done->lock);
        waitq_remove(&done->recvq, &s);
        rt_lock_release(&done->lock);
    }
    if (w.by_edge)
        return 0;
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
    if (fd < 0) {
        set_errno(EBADF);
        return -EBADF;
    }
    if ((events & (POLLIN | POLLOUT)) == (POLLIN | POLLOUT))
        gort_panic("gort_fd_wait: wait for POLLIN or POLLOUT, not both (fd %d)", fd);
    int r = wait_fd(fd, dir_of(events), ctx, true);
    if (r < 0)
        set_errno(-r);
    return r;
}

/* errno for a ctx that ended: ECANCELED or ETIMEDOUT. */
static ssize_t ctx_failed(int err)
{
    set_errno(err == GORT_DEADLINE_EXCEEDED ? ETIMEDOUT : ECANCELED);
    return -1;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -1;
    if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    return 0;
}

/* One non-blocking attempt; -1 with errno EAGAIN when it would block.  A
 * socket is read with MSG_DONTWAIT (its flags untouched); anything else is
 * switched to O_NONBLOCK, as Go does with the descriptors it polls. */
static ssize_t try_read(int fd, poll_desc *pd, void *buf, size_t n)
{
    if (!ld_rlx(&pd->not_socket)) {
        ssize_t r = recv(fd, buf, n, MSG_DONTWAIT);
        if (r >= 0 || get_errno() != ENOTSOCK)
            return r;
        st_rlx(&pd->not_socket, 1);
    }
    if (set_nonblock(fd) < 0)
        return -1;
    return read(fd, buf, n);
}

static ssize_t try_write(int fd, poll_desc *pd, const void *buf, size_t n)
{
    if (!ld_rlx(&pd->not_socket)) {
        ssize_t r = send(fd, buf, n, MSG_DONTWAIT);
        if (r >= 0 || get_errno() != ENOTSOCK)
            return r;
        st_rlx(&pd->not_socket, 1);
    }
    if (set_nonblock(fd) < 0)
        return -1;
    return write(fd, buf, n);
}

/* Waits in direction d after an EAGAIN; false with errno set when the
 * wait ended otherwise. */
static bool wait_again(int fd, int d, gort_ctx *ctx)
{
    int r = wait_fd(fd, d, ctx, false);
    if (r == 0)
        return true;
    if (r < 0)
        set_errno(-r);
    else
        ctx_failed(r);
    return false;
}

/* The I/O calls' common start: the descriptor's pd, or NULL with errno
 * set (a bad descriptor, or a ctx that has already ended). */
static poll_desc *io_begin(int fd, gort_ctx *ctx)
{
    if (fd < 0) {
        set_errno(EBADF);
        return NULL;
    }
    int err = ctx_error(ctx);
    if (err) {
        ctx_failed(err);
        return NULL;
    }
    return pd_get(fd);
}

/* After a non-blocking attempt failed: true to try again (EINTR, or the
 * descriptor became ready in direction d), false with errno set. */
static bool retry_io(int fd, int d, gort_ctx *ctx)
{
    int e = get_errno();   /* this thread's: an earlier turn may have parked */
    if (e == EINTR)
        return true;
    if (e != EAGAIN && e != EWOULDBLOCK)
        return false;
    return wait_again(fd, d, ctx);
}

ssize_t gort_read(int fd, void *buf, size_t n, gort_ctx *ctx)
{
    NOTE_THREAD();
    poll_desc *pd = io_begin(fd, ctx);
    if (!pd)
        return -1;
    for (;;) {
        ssize_t r = try_read(fd, pd, buf, n);
        if (r >= 0)
            return r;
        if (!retry_io(fd, DIR_READ, ctx))
            return -1;
    }
}

ssize_t gort_write(int fd, const void *buf, size_t n, gort_ctx *ctx)
{
    NOTE_THREAD();
    poll_desc *pd = io_begin(fd, ctx);
    if (!pd)
        return -1;
    size_t done = 0;
    while (done < n) {
        ssize_t r = try_write(fd, pd, (const char *)buf + done, n - done);
        if (r >= 0)
            done += (size_t)r;
        else if (!retry_io(fd, DIR_WRITE, ctx))
            return -1;
    }
    return (ssize_t)n;
}

int gort_accept(int fd, struct sockaddr *addr, socklen_t *len, gort_ctx *ctx)
{
    NOTE_THREAD();
    int err = ctx_error(ctx);
    if (err)
        return (int)ctx_failed(err);
    if (set_nonblock(fd) < 0)
        return -1;
    for (;;) {
        int c = accept(fd, addr, len);
        if (c >= 0)
            return c;
        int e = get_errno();
        if (e == EINTR || e == ECONNABORTED)
            continue;
        if (e != EAGAIN && e != EWOULDBLOCK)
            return -1;
        if (!wait_again(fd, DIR_READ, ctx))
            return -1;
    }
}

int gort_connect(int fd, const struct sockaddr *addr, socklen_t len, gort_ctx *ctx)
{
    NOTE_THREAD();
    int err = ctx_error(ctx);
    if (err)
        return (int)ctx_failed(err);
    if (set_nonblock(fd) < 0)
        return -1;
    int r = connect(fd, addr, len);
    if (r == 0)
        return 0;
    int e = get_errno();
    if (e != EINPROGRESS && e != EINTR)
        return -1;
    if (!wait_again(fd, DIR_WRITE, ctx))
        return -1;
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
        return -1;
    if (soerr != 0) {
        set_errno(soerr);
        return -1;
    }
    return 0;
}
