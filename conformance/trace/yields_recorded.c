// Each yield that switches is in the trace as the yielder's stop with why
// "yield", followed on the same P by the other goroutine's start: two
// goroutines that take turns with gort_yield at GOMAXPROCS=1 (nothing else
// runs, so every yield switches) leave 200 such stops each, and the trace
// is consistent.
// gort-test: env=GOMAXPROCS=1
#include "trace_support.h"

#define TURNS 200

static gort_waitgroup wg;

static void taker(void *arg)
{
    (void)arg;
    for (int i = 0; i < TURNS; i++)
        gort_yield();
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    char path[64];
    int fd = trace_tmpfile(path);
    gort_wg_add(&wg, 2);
    CHECK_EQ_INT(gort_trace_start(fd), 0);
    uint64_t a = go(taker, NULL);
    uint64_t b = go(taker, NULL);
    gort_wg_wait(&wg);
    gort_trace_stop();
    char *s = trace_read_checked(path);
    char want[96];
    snprintf(want, sizeof want, "\"args\":{\"g\":%llu,\"why\":\"yield\"}", (unsigned long long)a);
    int ya = count_substr(s, want);
    snprintf(want, sizeof want, "\"args\":{\"g\":%llu,\"why\":\"yield\"}", (unsigned long long)b);
    int yb = count_substr(s, want);
    /* the last turn of the second may find the first ended: nothing to switch to */
    CHECK_MSG(ya >= TURNS - 1 && yb >= TURNS - 1, "yields recorded: G%llu %d, G%llu %d, of %d each",
              (unsigned long long)a, ya, (unsigned long long)b, yb, TURNS);
    free(s);
    unlink(path);
    close(fd);
    return 0;
}

GORT_MAIN(main_fn)
