// 10,000 goroutines each park in gort_read on its own socketpair.  Once all
// are parked (each counted in just before its gort_read, then all 10,000 seen
// as `[IO wait]` in gort_dump, none returned), one byte is written to each
// pair's other end; every reader wakes exactly once: its gort_read returns 1
// (a 2-byte buffer: no spurious extra data) with its own byte value, the
// wake counter ends at exactly 10,000, all within a generous 20 s.  While
// parked they cost no thread each (gort_stats.threads <= GOMAXPROCS + 8) and
// little memory: RSS grows by less than 16 KiB per parked goroutine.
//
// File descriptors: the readers' 10,000 ends stay in this process; the
// writing ends are passed (SCM_RIGHTS, 250 at a time) to a forked helper
// process and closed here, so neither process needs more than ~10,300
// descriptors (RLIMIT_NOFILE's soft limit is raised to that; the test skips
// if the hard limit is lower).  The helper writes the bytes when told to.
// gort-test: env=GOMAXPROCS=4
// gort-test: labels=stress
// gort-test: serial
// gort-test: timeout=180
#include "np.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define N 10000
#define BATCH 250
#define NEED_FDS (N + BATCH + 256)
#define MAX_BYTES_PER_G (16 * 1024)

static int rfd[N];
static int ctl[2];                   /* SOCK_SEQPACKET: ctl[0] here, ctl[1] in the helper */
static gort_waitgroup done;
static _Atomic int entered, woke;
static _Atomic int wakes[N];

static unsigned char byte_for(int i) { return (unsigned char)(i * 7 + 1); }

/* ---- the helper process: plain system calls only ---------------------------- */

static int helper_wfd[N];

static _Noreturn void helper(void)
{
    int have = 0;
    for (;;) {
        int count = 0;
        char cbuf[CMSG_SPACE(sizeof(int) * BATCH)];
        struct iovec iov = { &count, sizeof count };
        struct msghdr m;
        memset(&m, 0, sizeof m);
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = cbuf;
        m.msg_controllen = sizeof cbuf;
        ssize_t r = recvmsg(ctl[1], &m, MSG_CMSG_CLOEXEC);
        if (r == 0) _exit(have == N ? 0 : 10);             /* parent closed: done */
        if (r != (ssize_t)sizeof count) _exit(11);
        if (count == 0) {                                   /* "go": one byte to each */
            for (int i = 0; i < have; i++) {
                unsigned char b = byte_for(i);
                if (write(helper_wfd[i], &b, 1) != 1) _exit(12);
            }
            continue;
        }
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        if (!c || c->cmsg_type != SCM_RIGHTS || (m.msg_flags & MSG_CTRUNC)) _exit(13);
        if (c->cmsg_len != CMSG_LEN(sizeof(int) * (size_t)count) || have + count > N) _exit(14);
        memcpy(&helper_wfd[have], CMSG_DATA(c), sizeof(int) * (size_t)count);
        have += count;
    }
}

static void send_fds(const int *fds, int count)
{
    char cbuf[CMSG_SPACE(sizeof(int) * BATCH)];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = { &count, sizeof count };
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    if (count > 0) {
        m.msg_control = cbuf;
        m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)count);
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)count);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)count);
    }
    CHECK_MSG(sendmsg(ctl[0], &m, 0) == (ssize_t)sizeof count, "sendmsg: %s", strerror(np_errno()));
}

/* ---- the readers ------------------------------------------------------------- */

static void reader(void *arg)
{
    int i = (int)(intptr_t)arg;
    unsigned char buf[2] = { 0, 0 };
    atomic_fetch_add(&entered, 1);
    ssize_t r = gort_read(rfd[i], buf, sizeof buf, NULL);
    CHECK_MSG(r == 1, "reader %d: gort_read returned %zd (%s); want 1", i, r, np_strerror(r));
    CHECK_MSG(buf[0] == byte_for(i), "reader %d read byte %d; want %d", i, buf[0], byte_for(i));
    atomic_fetch_add(&wakes[i], 1);
    atomic_fetch_add(&woke, 1);
    gort_wg_done(&done);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_TSAN(TSAN_MANY_GOROUTINES);
    SKIP_UNDER_VALGRIND("20,000 descriptors and 10,000 goroutines, and a memory-size bound");

    struct rlimit rl;
    CHECK_EQ_INT(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur < NEED_FDS) {
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < NEED_FDS)
            SKIP("needs %d file descriptors, RLIMIT_NOFILE hard limit is %llu", NEED_FDS,
                 (unsigned long long)rl.rlim_max);
        rl.rlim_cur = NEED_FDS;
        CHECK_MSG(setrlimit(RLIMIT_NOFILE, &rl) == 0, "raising RLIMIT_NOFILE to %d: %s", NEED_FDS,
                  strerror(np_errno()));
    }

    /* the helper first, so that it inherits none of the readers' descriptors */
    CHECK_EQ_INT(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(ctl[0]);
        helper();
    }
    CHECK_EQ_INT(close(ctl[1]), 0);

    int wbatch[BATCH];
    for (int b = 0; b < N / BATCH; b++) {
        for (int k = 0; k < BATCH; k++) {
            int sv[2];
            np_socketpair(sv);
            rfd[b * BATCH + k] = sv[0];
            wbatch[k] = sv[1];
        }
        send_fds(wbatch, BATCH);
        for (int k = 0; k < BATCH; k++) CHECK_EQ_INT(close(wbatch[k]), 0);
    }

    int procs = gort_gomaxprocs(0);
    int64_t rss0 = rss_effective_bytes();
    gort_wg_add(&done, N);
    int64_t t0 = now_ns();
    for (intptr_t i = 0; i < N; i++) go(reader, (void *)i);

    /* count them in: all entered, then all shown as [IO wait], none returned */
    int64_t end = now_ns() + MS(30000);
    while (atomic_load(&entered) < N && now_ns() < end) gort_sleep(MS(5));
    CHECK_EQ_INT(atomic_load(&entered), N);
    gort_sleep(MS(100));
    int64_t rss1 = rss_effective_bytes();
    gort_stats st = stats_now();
    int in_io = 0;
    while ((in_io = np_count_io_wait()) < N && now_ns() < end) gort_sleep(MS(100));
    CHECK_MSG(in_io == N, "%d of %d readers shown as [IO wait] in gort_dump", in_io, N);
    CHECK_MSG(atomic_load(&woke) == 0, "%d readers returned before any byte was written",
              atomic_load(&woke));
    NOTE("%d readers parked in %lld ms; %.0f bytes RSS each; %lld threads\n", N,
         (long long)((now_ns() - t0) / 1000000), (double)(rss1 - rss0) / N, (long long)st.threads);
    CHECK_MSG(st.threads <= procs + 8, "%lld threads while %d goroutines wait on descriptors (GOMAXPROCS %d)",
              (long long)st.threads, N, procs);
    if (CHECK_SANITIZED)
        NOTE("memory bound not checked under a sanitizer\n");
    else
        CHECK_MSG((rss1 - rss0) / N < MAX_BYTES_PER_G, "%lld bytes of RSS per goroutine parked in gort_read",
                  (long long)((rss1 - rss0) / N));

    /* one byte to each */
    int64_t t1 = now_ns();
    send_fds(NULL, 0);
    end = now_ns() + MS(20000);
    while (atomic_load(&woke) < N && now_ns() < end) gort_sleep(MS(5));
    int64_t took = now_ns() - t1;
    CHECK_MSG(atomic_load(&woke) == N, "%d of %d readers woke within 20 s of the writes",
              atomic_load(&woke), N);
    gort_wg_wait(&done);
    for (int i = 0; i < N; i++) CHECK_MSG(atomic_load(&wakes[i]) == 1, "reader %d woke %d times", i,
                                          atomic_load(&wakes[i]));
    gort_sleep(MS(50));
    CHECK_EQ_INT(atomic_load(&woke), N);
    NOTE("all %d woke %lld ms after the helper was told to write\n", N, (long long)(took / 1000000));

    CHECK_EQ_INT(close(ctl[0]), 0);                     /* the helper exits */
    int status = 0;
    CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the helper process ended with status %#x",
              status);
    for (int i = 0; i < N; i++) CHECK_EQ_INT(close(rfd[i]), 0);
    int left = wait_num_goroutine_at_most(1, MS(5000));
    CHECK_MSG(left == 1, "%d goroutines counted after all readers ended", left);
    return 0;
}

GORT_MAIN(main_fn)
