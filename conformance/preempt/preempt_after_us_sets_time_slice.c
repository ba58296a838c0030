// GORT_PREEMPT_AFTER_US sets the time slice after which a goroutine that has
// not parked is preempted (default 10 ms, Go's).  In forked children with
// GOMAXPROCS=1, a goroutine loops without calling anything next to one that
// counts its turns and yields: it gets one turn per preemption of the loop,
// so turns per second measure the slice (the loop is asked to yield a slice
// after the runtime's monitor saw it start, and the monitor looks at least
// as often as the retries for unsafe points, a tenth of a slice):
//   GORT_PREEMPT_AFTER_US=1000:   at least 150 turns per second (under
//                                 7 ms on average: handing the processor
//                                 from thread to thread takes its time);
//   unset (10 ms):                25 to 110 per second (10 to 40 ms);
//   GORT_PREEMPT_AFTER_US=100000: 3 to 10 per second (100 to 330 ms);
//   GORT_PREEMPT_AFTER_US=50 and =abc (out of range, not a number): the
//                                 runtime says on stderr that it ignores
//                                 them and uses 10000, and the rate is the
//                                 default's.
// Reports the rates.
// gort-test: timeout=30
#include "pre.h"

#include <sys/mman.h>

static _Atomic int stop;
static _Atomic long progress, turns;
static gort_waitgroup wg;
static double *rate_out;
static int64_t run_ns;

static void spinner(void *arg)
{
    (void)arg;
    pre_spin_until(&stop, &progress);
    gort_wg_done(&wg);
}

static void yielder(void *arg)
{
    (void)arg;
    while (!LD(stop)) {
        ST(turns, LD(turns) + 1);
        gort_yield();
    }
    gort_wg_done(&wg);
}

static void *stopper(void *arg)
{
    (void)arg;
    /* a plain thread keeps the time: the goroutines may not get to */
    while (LD(progress) == 0) usleep(100);
    long t0 = LD(turns);
    int64_t start = now_ns();
    usleep((useconds_t)(run_ns / 1000));
    *rate_out = (double)(LD(turns) - t0) / ((double)(now_ns() - start) / 1e9);
    ST(stop, 1);
    return NULL;
}

static int child_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, stopper, NULL), 0);
    gort_wg_add(&wg, 2);
    go(yielder, NULL);
    go(spinner, NULL);
    gort_wg_wait(&wg);
    return 0;
}

static char err[4096];

static double measure(const char *slice_us, int64_t ns)
{
    if (slice_us) setenv("GORT_PREEMPT_AFTER_US", slice_us, 1);
    else unsetenv("GORT_PREEMPT_AFTER_US");
    setenv("GOMAXPROCS", "1", 1);
    *rate_out = -1;
    run_ns = ns;
    int st = run_gort_main_child(child_main, err, sizeof err);
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "GORT_PREEMPT_AFTER_US=%s: child status %#x; stderr:\n%s",
              slice_us ? slice_us : "(unset)", st, err);
    NOTE("GORT_PREEMPT_AFTER_US=%s: %.0f preemptions per second\n", slice_us ? slice_us : "(unset)", *rate_out);
    return *rate_out;
}

int main(void)
{
    PRE_SKIP_UNLESS_ASYNC();
    rate_out = mmap(NULL, sizeof *rate_out, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(rate_out != MAP_FAILED);
    double fast = measure("1000", MS(1000));
    double dflt = measure(NULL, MS(1000));
    double slow = measure("100000", MS(3000));
    static const char *const bad[] = { "50", "abc" };
    for (int i = 0; i < 2; i++) {
        double r = measure(bad[i], MS(1000));
        char want[128];
        snprintf(want, sizeof want,
                 "gort: ignoring GORT_PREEMPT_AFTER_US=%s: want microseconds from 100 to 10000000; using 10000\n", bad[i]);
        CHECK_MSG(strstr(err, want) != NULL, "GORT_PREEMPT_AFTER_US=%s: stderr lacks \"%s\":\n%s", bad[i], want, err);
        CHECK_MSG(r >= 25 && r <= 110, "GORT_PREEMPT_AFTER_US=%s (ignored): %.0f preemptions per second, want 25 to 110",
                  bad[i], r);
    }
    CHECK_MSG(dflt >= 25 && dflt <= 110, "default slice (10 ms): %.0f preemptions per second, want 25 to 110", dflt);
    CHECK_MSG(slow >= 3 && slow <= 10, "GORT_PREEMPT_AFTER_US=100000: %.0f preemptions per second, want 3 to 10", slow);
    CHECK_MSG(fast >= 150, "GORT_PREEMPT_AFTER_US=1000: %.0f preemptions per second, want at least 150", fast);
    return 0;
}
