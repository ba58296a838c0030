// gort_dump shows a goroutine that asynchronous preemption interrupted as
// `[runnable]` (it is on a run queue, waiting for its thread to get a
// processor again), with a backtrace that starts in the code it was running:
// its function's name, as `FUNCTION(...)`, and no runtime internals (the
// preemption trampoline, park_preempted, switch_from).  GOMAXPROCS=1: the
// main goroutine can only wake from its sleep once the loop was preempted
// (if the loop ran during the sleep), and while main runs the loop cannot;
// five times (the loop is interrupted at a different instruction each time).
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=20
#include "pre.h"

static _Atomic int stop;
static _Atomic long progress;
static _Atomic int started;
static gort_waitgroup wg;

/* extern and noinline: named in backtraces (-rdynamic) */
CHECK_NOINLINE void preempt_dump_distinctive_spinner(_Atomic int *stop_, _Atomic long *progress_)
{
    long n = 0;
    while (!LD(*stop_)) ST(*progress_, ++n);
    __asm__ __volatile__("");   /* no tail call: this frame stays */
}

static void spinner(void *arg)
{
    (void)arg;
    ST(started, 1);
    preempt_dump_distinctive_spinner(&stop, &progress);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    pre_watchdog_start(MS(5000), "main asleep while a goroutine loops at GOMAXPROCS=1");
    gort_wg_add(&wg, 1);
    uint64_t id = go(spinner, NULL);
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [", (unsigned long long)id);
    int round = 0;
    for (int tries = 0; round < 5; tries++) {
        CHECK_MSG(tries < 100, "the loop ran during only %d of 100 sleeps", round);
        long before = LD(progress);
        gort_sleep(MS(5));
        if (!LD(started) || LD(progress) == before) continue;   /* it did not get to run: no preemption */
        char *dump = dump_to_string();
        CHECK(dump != NULL);
        const char *b = strstr(dump, head);
        CHECK_MSG(b != NULL, "round %d: goroutine %llu missing from the dump:\n%s", round, (unsigned long long)id,
                  dump);
        const char *end = strstr(b + 1, "\ngoroutine ");
        int len = end ? (int)(end - b) : (int)strlen(b);
        CHECK_MSG(strncmp(b + strlen(head), "runnable]", 9) == 0,
                  "round %d: the preempted goroutine is not [runnable]:\n%.*s", round, len, b);
        const char *first = strchr(b, '\n');
        CHECK_MSG(first && strncmp(first + 1, "preempt_dump_distinctive_spinner(...)\n", 38) == 0,
                  "round %d: the backtrace does not start in the loop's function:\n%.*s", round, len, b);
        const char *bad[] = { "preempt_trampoline", "preempt_park", "park_preempted", "switch_from",
                              "gort_ctx_switch" };
        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            const char *f = strstr(b, bad[k]);
            CHECK_MSG(f == NULL || f > b + len, "round %d: runtime internal %s shown:\n%.*s", round, bad[k], len, b);
        }
        CHECK_MSG(count_substr(b, "created by ") >= 1, "round %d: no `created by`:\n%.*s", round, len, b);
        if (round == 0) NOTE("%.*s\n", len, b);
        free(dump);
        round++;
    }
    ST(stop, 1);
    gort_wg_wait(&wg);
    pre_watchdog_stop();
    return 0;
}

GORT_MAIN(main_fn)
