// Data written before a channel send is read after the matching receive
// (unbuffered, buffered, and by close) with no report from ThreadSanitizer:
// the channel operations are happens-before edges, as in Go.
// gort-test: env=GOMAXPROCS=2
#include "races/race_run.h"

static long data[3];
static gort_chan *unbuf, *buf, *done;

static void producer(void *arg)
{
    (void)arg;
    long v = 1;
    data[0] = 10;
    gort_chan_send(unbuf, &v);
    data[1] = 20;
    gort_chan_send(buf, &v);
    data[2] = 30;
    gort_chan_close(done);
}

static int prog(int argc, char **argv)
{
    (void)argc; (void)argv;
    unbuf = gort_chan_make(sizeof(long), 0);
    buf = gort_chan_make(sizeof(long), 4);
    done = gort_chan_make(0, 0);
    go(producer, NULL);
    long v;
    gort_chan_recv(unbuf, &v);
    long a = data[0];
    gort_chan_recv(buf, &v);
    long b = data[1];
    gort_chan_recv(done, NULL);
    long c = data[2];
    return a + b + c == 60 ? 0 : 1;
}

int main(void)
{
    CHECK_MSG(!race_run(prog), "a race was reported across channel operations:\n%s", race_stderr);
    CHECK_MSG(race_status == 0, "the program failed (status %d):\n%s", race_status, race_stderr);
    return 0;
}
