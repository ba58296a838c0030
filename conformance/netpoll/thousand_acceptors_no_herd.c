// Many waiters on one descriptor cost no thundering herd: a connection wakes
// about one of them, not all.  1,000 goroutines loop gort_accept on one
// AF_UNIX listener (autobind address); once all 1,000 are parked (`[IO
// wait]` in gort_dump), 100 clients connect one at a time: each connect(2)
// waits until its connection was accepted (the acceptor closes it and
// reports on a channel) and then until the scheduler is idle again (a 2 ms
// sleep of main's sees no more than its own few switches), so that every
// connection meets all 1,000 acceptors parked and its edge comes through
// the poller.  The scheduler's switch count (gort_stats.switches) is summed
// over the 100 rounds: waking all 1,000 acceptors per connection (each then
// finds EAGAIN and parks again) costs >= 1,000 switches per connection, a
// single wake-up (plus main's own wake-ups) a handful, so the average must
// stay below 20 switches per connection (it is printed to stdout).  Then a cancel of their ctx ends all 1,000 acceptors with
// -ECANCELED.  Every connection is accepted exactly once.  Needs only a
// few descriptors; 1,000 goroutines is within TSan's limit.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=120
// gort-test: stdout=^average [0-9.]+ switches per connection$
#include "np.h"

#include <sys/un.h>

#define ACCEPTORS 1000
#define CONNS 100
#define MAX_AVG_SWITCHES 20

static const char *rs(ssize_t r) { return r < 0 ? strerror((int)-r) : "no error"; }

static int lfd;
static gort_ctx *actx;
static gort_chan *accepted;
static gort_waitgroup wg;
static _Atomic int canceled;

static void acceptor(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = gort_accept(lfd, NULL, NULL, actx);
        if (fd < 0) {
            CHECK_MSG(fd == -ECANCELED && gort_ctx_err(actx) == GORT_CANCELED, "gort_accept returned %d (%s)", fd,
                      rs(fd));
            atomic_fetch_add(&canceled, 1);
            break;
        }
        CHECK_EQ_INT(close(fd), 0);
        int one = 1;
        gort_chan_send(accepted, &one);
    }
    gort_wg_done(&wg);
}

/* Waits until the scheduler is idle: a 2 ms sleep of main's sees at most
 * its own few switches (what it wakes up to is main itself). */
static void quiesce(void)
{
    int64_t end = now_ns() + (CHECK_VALGRIND ? MS(300000) : MS(30000));
    for (;;) {
        int64_t s0 = stats_now().switches;
        gort_sleep(MS(2));
        int64_t d = stats_now().switches - s0;
        if (d <= 3) return;
        CHECK_MSG(now_ns() < end, "the scheduler is never idle (%lld switches during a 2 ms sleep)", (long long)d);
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(lfd >= 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    CHECK_EQ_INT(bind(lfd, (struct sockaddr *)&a, sizeof(sa_family_t)), 0);   /* autobind */
    CHECK_EQ_INT(listen(lfd, 128), 0);
    socklen_t alen = sizeof a;
    CHECK_EQ_INT(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);

    accepted = gort_chan_make(sizeof(int), CONNS);
    actx = gort_ctx_with_cancel(gort_ctx_background());
    gort_wg_add(&wg, ACCEPTORS);
    for (int i = 0; i < ACCEPTORS; i++) go(acceptor, NULL);
    int parked = np_wait_io_waiters(ACCEPTORS, CHECK_VALGRIND ? MS(300000) : MS(30000));
    CHECK_MSG(parked == ACCEPTORS, "%d of %d acceptors parked in gort_accept", parked, ACCEPTORS);

    quiesce();
    int64_t total = 0;
    for (int i = 0; i < CONNS; i++) {
        int64_t s0 = stats_now().switches;
        int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        CHECK(c >= 0);
        CHECK_MSG(connect(c, (struct sockaddr *)&a, alen) == 0, "connect %d: %s", i, strerror(np_errno()));
        int v = 0;
        CHECK(gort_chan_recv(accepted, &v));
        CHECK_EQ_INT(close(c), 0);
        quiesce();                        /* woken acceptors have parked again */
        total += stats_now().switches - s0;
    }
    double avg = (double)total / CONNS;
    printf("average %.1f switches per connection\n", avg);
    fflush(stdout);
    CHECK_MSG(avg < MAX_AVG_SWITCHES, "%.1f scheduler switches per accepted connection with %d acceptors parked "
              "(a thundering herd?); want < %d", avg, ACCEPTORS, MAX_AVG_SWITCHES);
    CHECK_EQ_INT(gort_chan_len(accepted), 0);        /* each connection accepted once */

    gort_ctx_cancel(actx);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&canceled), ACCEPTORS);
    CHECK_EQ_INT(gort_chan_len(accepted), 0);
    gort_ctx_unref(actx);
    gort_chan_unref(accepted);
    CHECK_EQ_INT(close(lfd), 0);
    return 0;
}

GORT_MAIN(main_fn)
