// gort_dump lists every goroutine in Go's format with Go's wait reasons:
// the caller `[running]`, a WaitGroup waiter `[sync.WaitGroup.Wait]`, a Mutex
// waiter `[sync.Mutex.Lock]`, a sleeper `[sleep]`, a goroutine not yet run
// `[runnable]`; each with `created by`; and nothing else (runtime-internal
// goroutines are never listed: one header per counted goroutine).
// Asynchronous preemption is off: it could interrupt main before the dump and
// run the goroutine that must still be [runnable].
// gort-test: env=GOMAXPROCS=1
// gort-test: env=GORT_ASYNCPREEMPT=0
#include "check.h"

static gort_waitgroup gate, started;
static gort_mutex mu;

static void wg_waiter(void *arg) { (void)arg; gort_wg_done(&started); gort_wg_wait(&gate); }
static void mu_waiter(void *arg) { (void)arg; gort_wg_done(&started); gort_mutex_lock(&mu); gort_mutex_unlock(&mu); }
static void sleeper(void *arg) { (void)arg; gort_wg_done(&started); gort_sleep(MS(60000)); }
static void never_ran(void *arg) { (void)arg; }

static void check_state(const char *dump, uint64_t id, const char *state)
{
    char head[128];
    snprintf(head, sizeof head, "goroutine %llu [%s", (unsigned long long)id, state);
    CHECK_MSG(strstr(dump, head) != NULL, "no \"%s\" in dump:\n%.900s", head, dump);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&gate, 1);
    gort_wg_add(&started, 3);
    gort_mutex_lock(&mu);
    uint64_t a = go(wg_waiter, NULL);
    uint64_t b = go(mu_waiter, NULL);
    uint64_t c = go(sleeper, NULL);
    gort_wg_wait(&started);
    gort_sleep(MS(10));
    uint64_t d = go(never_ran, NULL);        /* GOMAXPROCS=1 and main runs: not run yet */

    char *dump = dump_to_string();
    CHECK(dump != NULL);
    check_state(dump, 1, "running");
    check_state(dump, a, "sync.WaitGroup.Wait");
    check_state(dump, b, "sync.Mutex.Lock");
    check_state(dump, c, "sleep");
    check_state(dump, d, "runnable");
    int headers = count_substr(dump, "goroutine ");
    int created = count_substr(dump, "created by ");
    /* "goroutine " may also appear inside "created by ... in goroutine N" lines */
    int in_goroutine = count_substr(dump, "in goroutine ");
    CHECK_MSG(headers - in_goroutine == gort_num_goroutine(), "%d goroutine headers for %d goroutines:\n%.900s",
              headers - in_goroutine, gort_num_goroutine(), dump);
    CHECK_MSG(created >= 4, "only %d \"created by\" lines:\n%.900s", created, dump);
    free(dump);
    gort_mutex_unlock(&mu);
    gort_wg_done(&gate);
    return 0;
}

GORT_MAIN(main_fn)
