// A trace of a busy program is consistent and records what happened: 50
// ping-pong pairs over unbuffered channels, a contended mutex, sleepers, a
// select, a system call long enough for sysmon to take the P, all at
// GOMAXPROCS=2.  trace_check.py finds no violation (every park followed by
// an unpark or nothing, no goroutine on two Ps at once, B/E alternating on
// each P in time order, P hand-offs matched), and the events are there:
// each goroutine's GoCreate with its creation site, parks with Go's wait
// reasons, the system call, every goroutine's end.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=120
#include "trace_support.h"

#define PAIRS 50
#define ROUNDS 100
#define SLEEPERS 10

static gort_waitgroup wg;
static gort_mutex mu;
static long counter;

static void pinger(void *arg)
{
    gort_chan *c = arg;
    for (int i = 0; i < ROUNDS; i++) {
        int v = i;
        gort_chan_send(c, &v);
        gort_chan_recv(c, &v);
    }
    gort_wg_done(&wg);
}

static void ponger(void *arg)
{
    gort_chan *c = arg;
    for (int i = 0; i < ROUNDS; i++) {
        int v;
        gort_chan_recv(c, &v);
        gort_chan_send(c, &v);
    }
    gort_wg_done(&wg);
}

static void locker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        gort_mutex_lock(&mu);
        counter++;
        if (i % 10 == 0) gort_yield();
        gort_mutex_unlock(&mu);
    }
    gort_wg_done(&wg);
}

static void sleeper(void *arg)
{
    (void)arg;
    gort_sleep(MS(2));
    gort_wg_done(&wg);
}

static void in_syscall(void *arg)
{
    (void)arg;
    gort_syscall_enter();
    usleep(30000);   /* long enough for sysmon to hand the P to another thread */
    gort_syscall_exit();
    gort_wg_done(&wg);
}

static gort_chan *sel_a, *sel_b;
static void selector(void *arg)
{
    (void)arg;
    int v = 0;
    gort_case cases[2] = {
        { .dir = GORT_RECV, .ch = sel_a, .elem = &v },
        { .dir = GORT_RECV, .ch = sel_b, .elem = &v },
    };
    CHECK_EQ_INT(gort_select(cases, 2, true), 1);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    char path[64];
    int fd = trace_tmpfile(path);
    CHECK_EQ_INT(gort_trace_start(fd), 0);

    int created = 0;
    gort_wg_add(&wg, 2 * PAIRS + 4 + SLEEPERS + 2);
    gort_chan *chans[PAIRS];
    for (int i = 0; i < PAIRS; i++) {
        chans[i] = gort_chan_make(sizeof(int), 0);
        go(pinger, chans[i]);
        go(ponger, chans[i]);
        created += 2;
    }
    for (int i = 0; i < 4; i++, created++) go(locker, NULL);
    for (int i = 0; i < SLEEPERS; i++, created++) go(sleeper, NULL);
    go(in_syscall, NULL); created++;
    sel_a = gort_chan_make(sizeof(int), 0);
    sel_b = gort_chan_make(sizeof(int), 0);
    int site_line = __LINE__ + 1;
    go(selector, NULL); created++;
    gort_sleep(MS(5));
    int one = 1;
    gort_chan_send(sel_b, &one);
    gort_wg_wait(&wg);
    wait_num_goroutine_at_most(1, MS(5000));   /* all ended, not just Done */
    gort_trace_stop();
    CHECK_EQ_INT(counter, 4 * 2000);

    char *s = trace_read_checked(path);
    /* What the trace must hold (counted in the file, one event per line). */
    CHECK_MSG(count_substr(s, "\"name\":\"GoCreate\"") >= created, "%d GoCreate events for %d goroutines",
              count_substr(s, "\"name\":\"GoCreate\""), created);
    char site[512];
    snprintf(site, sizeof site, "\"site\":\"%s:%d\"", __FILE__, site_line);
    CHECK_MSG(strstr(s, site) != NULL, "no GoCreate with %s", site);
    int recv_parks = count_substr(s, "\"why\":\"park\",\"reason\":\"chan receive\"");
    int send_parks = count_substr(s, "\"why\":\"park\",\"reason\":\"chan send\"");
    /* Each round trip parks at least once per pair, whichever side waits. */
    CHECK_MSG(recv_parks + send_parks >= PAIRS * ROUNDS, "%d chan parks for %d round trips", recv_parks + send_parks,
              PAIRS * ROUNDS);
    CHECK_MSG(count_substr(s, "\"reason\":\"sleep\"") >= SLEEPERS, "%d sleep parks",
              count_substr(s, "\"reason\":\"sleep\""));
    CHECK_MSG(count_substr(s, "\"reason\":\"select\"") >= 1, "no select park");
    CHECK_MSG(count_substr(s, "\"reason\":\"sync.WaitGroup.Wait\"") >= 1, "no WaitGroup park");
    CHECK_MSG(count_substr(s, "\"why\":\"syscall\"") >= 1, "no system call");
    CHECK_MSG(count_substr(s, "\"why\":\"end\"") >= created, "%d ends for %d goroutines",
              count_substr(s, "\"why\":\"end\""), created);
    CHECK_MSG(count_substr(s, "\"name\":\"GoUnpark\"") >= PAIRS * ROUNDS, "%d unparks",
              count_substr(s, "\"name\":\"GoUnpark\""));
    CHECK_MSG(count_substr(s, "\"name\":\"ProcStart\"") >= 1 && count_substr(s, "\"name\":\"ProcStop\"") >= 1,
              "no P hand-off recorded");
    CHECK_MSG(strstr(s, "\"pid\":1,\"tid\":1,") != NULL, "nothing on P1's track at GOMAXPROCS=2");
    CHECK_MSG(strstr(s, "\"lost_events\":0}") != NULL, "events were lost: %.200s", s + strlen(s) - 200);
    free(s);
    unlink(path);
    close(fd);
    for (int i = 0; i < PAIRS; i++)
        gort_chan_unref(chans[i]);
    gort_chan_unref(sel_a);
    gort_chan_unref(sel_b);
    return 0;
}

GORT_MAIN(main_fn)
