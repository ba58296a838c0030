// Traces started and stopped while goroutines run on both Ps (no
// stop-the-world: each thread's record is fenced against the stop, see
// trace.c) are each whole and consistent: 10 traces of 2 ms over a running
// ping-pong workload.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=120
#include "trace_support.h"

#define WORKERS 8

static _Atomic int stop;
static gort_waitgroup wg;

static void pingpong(void *arg)
{
    gort_chan *c = arg;
    int v = 0;
    while (!atomic_load(&stop)) {
        gort_chan_send(c, &v);
        gort_chan_recv(c, &v);
    }
    v = -1;   /* tells the echo to end */
    gort_chan_send(c, &v);
    gort_wg_done(&wg);
}

static void echo(void *arg)
{
    gort_chan *c = arg;
    int v;
    for (;;) {
        gort_chan_recv(c, &v);
        if (v < 0) break;
        gort_chan_send(c, &v);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, WORKERS);
    gort_chan *chans[WORKERS / 2];
    for (int i = 0; i < WORKERS / 2; i++) {
        gort_chan *c = chans[i] = gort_chan_make(sizeof(int), 0);
        go(pingpong, c);
        go(echo, c);
    }
    int nonempty = 0;
    for (int round = 0; round < 10; round++) {
        char path[64];
        int fd = trace_tmpfile(path);
        CHECK_EQ_INT(gort_trace_start(fd), 0);
        gort_sleep(MS(2));
        gort_trace_stop();
        char *s = trace_read_checked(path);
        if (count_substr(s, "\"ph\":\"B\"") > 0) nonempty++;
        free(s);
        unlink(path);
        close(fd);
    }
    CHECK_MSG(nonempty == 10, "only %d of 10 traces recorded goroutines running", nonempty);
    atomic_store(&stop, 1);
    gort_wg_wait(&wg);
    for (int i = 0; i < WORKERS / 2; i++)
        gort_chan_unref(chans[i]);
    return 0;
}

GORT_MAIN(main_fn)
