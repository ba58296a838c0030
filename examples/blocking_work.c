// Blocking work off the netpoller: regular files and DNS.
//
// gort_read, gort_write and gort_fd_wait park a goroutine on the netpoller
// (epoll) until its descriptor is ready.  That suits sockets, pipes and ttys,
// not everything that blocks:
//   - a regular file is always "ready": epoll refuses it (EPERM, and so
//     gort_fd_wait returns -EPERM), poll(2) says POLLIN at once, and yet a
//     read from a cold disk sleeps (so gort_read on a file is a plain
//     blocking read that keeps its P);
//   - getaddrinfo reads /etc/hosts, loads NSS modules, may ask a DNS server:
//     one blocking call, no descriptor to wait on.
// For those, do what Go does for files and cgo calls (entersyscall and
// exitsyscall): block on the goroutine's own thread, inside the syscall
// brackets, so that the thread's processor (P) can go to another thread and
// the other goroutines keep running meanwhile:
//
//     gort_syscall_enter();
//     ssize_t r = pread(fd, buf, n, off);
//     int err = errno;                  // before gort_syscall_exit
//     gort_syscall_exit();
//
// The rules:
//   1. No gort call between enter and exit: the goroutine has no P there.
//      Plain C, libc, malloc and atomics are fine.
//   2. Read errno before gort_syscall_exit.  If its P was taken and none is
//      idle, exit parks the goroutine until one is, and it may resume on
//      another thread, with another errno (and the compiler may keep the old
//      thread's errno address).  The helpers below return errno as a value,
//      as gort's own I/O calls do (they return -errno on failure).
//   3. A call in the brackets holds its OS thread while it blocks: bound how
//      many run at once (a buffered channel as a semaphore, as Go bounds its
//      cgo DNS lookups), or GORT_MAX_THREADS ends the program.
//   4. Forgetting the brackets is not a deadlock, only slower and dearer:
//      sysmon sees a thread asleep in the kernel that still holds its P (no
//      switch for 1 ms, then /proc says it has not run for 2 ms more) and
//      lends one more P.  With the brackets it only has to see the P still
//      in the call at its next tick, and a call that did not block gets its
//      own P back with one compare-and-swap.  sysmon's tick is 20 µs when
//      busy and backs off to 10 ms when quiet, as Go's does: hence the late
//      first tick below.
// Part 3 shows this with one P: a ticker goroutine keeps ticking while main
// sleeps 200 ms in the kernel (nanosleep, standing in for a slow disk).
//
// gort-test: env=GOMAXPROCS=1
// gort-test: stdout=^file: epoll_ctl\(ADD\) on a regular file: Operation not permitted$
// gort-test: stdout=^file: 4 goroutines read 4 MiB each in 64 KiB preads, all 4 checksums match$
// gort-test: stdout=^dns: localhost (->|skipped)
// gort-test: stdout=^bracketed: +[0-9]+ ms in nanosleep, the ticker ran [1-9][0-9]* times
// gort-test: stdout=^unbracketed: +[0-9]+ ms in nanosleep, the ticker ran [0-9]+ times
#define _GNU_SOURCE
#include <gort.h>
#include <errno.h>
#include <netdb.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL
#define FILE_SIZE (4 << 20)
#define CHUNK (64 << 10)
#define NREADERS 4

/* pread or pwrite in the brackets; *err gets errno (rule 2).  noinline: the
 * errno address is taken here, on the thread that made the call. */
__attribute__((noinline))
static ssize_t file_io(bool write, int fd, void *buf, size_t n, off_t off, int *err)
{
    gort_syscall_enter();
    ssize_t r = write ? pwrite(fd, buf, n, off) : pread(fd, buf, n, off);
    *err = errno;
    gort_syscall_exit();
    return r;
}

#define FNV_START 0xcbf29ce484222325ULL
static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

/* ---- Part 1: goroutines read one file, every pread in the brackets ---- */

typedef struct reader { int fd; uint64_t sum; gort_waitgroup *wg; } reader;

static void read_file(void *arg)
{
    reader *r = arg;
    unsigned char *buf = malloc(CHUNK);
    int err = 0;
    ssize_t n;
    r->sum = FNV_START;
    for (off_t off = 0; off < FILE_SIZE; off += n) {
        n = file_io(false, r->fd, buf, CHUNK, off, &err);
        if (n <= 0) {                /* 0: shorter than we wrote */
            fprintf(stderr, "file: pread: %s\n", n ? strerror(err) : "end of file");
            break;
        }
        r->sum = fnv1a(r->sum, buf, (size_t)n);   /* back with a P: compute */
    }
    free(buf);
    gort_wg_done(r->wg);
}

static int files(void)
{
    char path[256];
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, sizeof path, "%s/gort-blocking-XXXXXX", dir);
    int fd = mkstemp(path), err = 0;
    if (fd < 0) {
        perror("file: mkstemp");
        return 1;
    }
    unlink(path);                    /* the file lives while fd is open */

    int ep = epoll_create1(EPOLL_CLOEXEC);   /* the netpoller's tool */
    struct epoll_event ev = { .events = EPOLLIN };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
        printf("file: epoll_ctl(ADD) on a regular file: %s\n", strerror(errno));
    close(ep);

    unsigned char *buf = malloc(CHUNK);      /* FILE_SIZE pseudo-random bytes */
    uint64_t x = 88172645463325252ULL, want = FNV_START;
    for (off_t off = 0; off < FILE_SIZE; off += CHUNK) {
        for (int i = 0; i < CHUNK; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;   /* xorshift64 */
            buf[i] = (unsigned char)x;
        }
        want = fnv1a(want, buf, CHUNK);
        if (file_io(true, fd, buf, CHUNK, off, &err) != CHUNK) {
            fprintf(stderr, "file: pwrite: %s\n", strerror(err));
            return 1;
        }
    }
    free(buf);

    gort_waitgroup wg = {0};
    reader rs[NREADERS];
    gort_wg_add(&wg, NREADERS);
    for (int i = 0; i < NREADERS; i++) {
        rs[i] = (reader){ .fd = fd, .wg = &wg };
        go(read_file, &rs[i]);
    }
    gort_wg_wait(&wg);
    close(fd);

    int match = 0;
    for (int i = 0; i < NREADERS; i++)
        match += rs[i].sum == want;
    printf("file: %d goroutines read %d MiB each in %d KiB preads, all %d checksums %s\n",
           NREADERS, FILE_SIZE >> 20, CHUNK >> 10, NREADERS, match == NREADERS ? "match" : "DIFFER");
    return match == NREADERS ? 0 : 1;
}

/* ---- Part 2: DNS, getaddrinfo in the brackets ---- */

__attribute__((noinline))
static int resolve(const char *host, struct addrinfo **res, int *err)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    gort_syscall_enter();
    int rc = getaddrinfo(host, NULL, &hints, res);
    *err = errno;                    /* meaningful when rc == EAI_SYSTEM */
    /* glibc keeps resolv.conf per thread and drops it when the thread exits;
     * gort's threads live as long as the process, so Valgrind would call it
     * lost.  Drop it here, on the thread that looked up (optional). */
    res_nclose(&_res);
    gort_syscall_exit();
    return rc;
}

static void dns(void)
{
    /* localhost only: tests run without a network, and an odd /etc/hosts
     * makes this a skip, not a failure. */
    struct addrinfo *res = NULL;
    int err = 0, rc = resolve("localhost", &res, &err);
    if (rc != 0) {
        printf("dns: localhost skipped (getaddrinfo: %s)\n",
               rc == EAI_SYSTEM ? strerror(err) : gai_strerror(rc));
        return;
    }
    printf("dns: localhost ->");
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        char ip[NI_MAXHOST];
        if (getnameinfo(a->ai_addr, a->ai_addrlen, ip, sizeof ip, NULL, 0, NI_NUMERICHOST) == 0)
            printf(" %s", ip);       /* numeric: no lookup, nothing blocks */
    }
    printf("\n");
    freeaddrinfo(res);
}

/* ---- Part 3: one P; does a ticker keep ticking while main blocks? ---- */

#define MAX_TICKS 4096
static int64_t tick_at[MAX_TICKS];   /* when the ticker goroutine ran */
static int nticks;
static gort_waitgroup ticker_wg;     /* done once the ticker has stopped */

static void ticker_loop(void *arg)
{
    gort_ticker *t = gort_ticker_new(1 * MS);
    int64_t fired;
    gort_case cases[2] = { { .dir = GORT_RECV, .ch = gort_ticker_chan(t), .elem = &fired },
                           { .dir = GORT_RECV, .ch = arg } };   /* stop */
    while (gort_select(cases, 2, true) == 0 && nticks < MAX_TICKS)
        tick_at[nticks++] = gort_now();
    gort_ticker_free(t);
    gort_wg_done(&ticker_wg);
}

static void sleep_200ms(void)        /* a slow disk, a slow NSS module... */
{
    struct timespec ts = { 0, 200 * MS };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* How often the ticker ran in [t0, t1], and how long it took to start. */
static int report(const char *what, int64_t t0, int64_t t1)
{
    int n = 0;
    int64_t first = t1;
    for (int i = 0; i < nticks; i++)
        if (tick_at[i] >= t0 && tick_at[i] <= t1 && n++ == 0)
            first = tick_at[i];
    printf("%-12s %lld ms in nanosleep, the ticker ran %d times (1 ms period), "
           "first after %.1f ms\n", what, (long long)((t1 - t0 + MS / 2) / MS), n,
           (double)(first - t0) / MS);
    return n;
}

static int one_processor(void)
{
    int old = gort_gomaxprocs(1);    /* as GOMAXPROCS=1 does for the test */
    gort_chan *stop = gort_chan_make(sizeof(int), 0);
    gort_wg_add(&ticker_wg, 1);
    go(ticker_loop, stop);
    gort_sleep(20 * MS);             /* the ticker is up and ticking */

    int64_t b0 = gort_now();
    gort_syscall_enter();
    sleep_200ms();                   /* the P goes to another thread */
    gort_syscall_exit();
    int64_t b1 = gort_now();
    gort_sleep(20 * MS);
    int64_t u0 = gort_now();
    sleep_200ms();                   /* rule 4: sysmon lends a P, later */
    int64_t u1 = gort_now();

    gort_chan_close(stop);
    gort_wg_wait(&ticker_wg);        /* from here tick_at is ours to read */
    gort_chan_unref(stop);
    gort_gomaxprocs(old);

    int during = report("bracketed:", b0, b1);
    report("unbracketed:", u0, u1);
    if (during == 0) {
        fprintf(stderr, "the ticker never ran during the bracketed call\n");
        return 1;
    }
    return 0;
}

static int run(int argc, char **argv)
{
    (void)argc; (void)argv;
    if (files() != 0)
        return 1;
    dns();
    return one_processor();
}

GORT_MAIN(run)
