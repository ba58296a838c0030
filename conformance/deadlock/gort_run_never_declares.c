// A runtime entered with gort_run (no gort_main) never declares a deadlock:
// it cannot know what plain threads will still do.
//
// The deadlock condition checkdead looks for is made real: a goroutine
// blocks for ever on a channel, every M goes idle, no timer is pending, no
// descriptor is waited on, and no plain thread that has called into gort is
// alive.  For that last part the main thread calls nothing of gort's at
// first: a pthread enters with gort_run (starting the goroutine) and exits,
// so the count of plain threads drops to zero (its exit re-runs the check;
// so does the last M going idle, after a 100 ms grace for the main thread,
// which the runtime does not know).  Under gort_main that is `fatal error:
// all goroutines are asleep - deadlock!`; here only the rule "never under
// gort_run" keeps the process alive.  After 500 ms the main thread sees the
// goroutine still blocked in the dump, releases it through gort_run, and
// the program ends normally.
// gort-test: stdout=^released$
#include "check.h"

#include <pthread.h>
#include <time.h>

static gort_chan *gate;
static _Atomic int got;

static void blocked(void *arg)
{
    (void)arg;
    int v = 0;
    CHECK(gort_chan_recv(gate, &v));
    atomic_store(&got, v);
}

static void start_blocked(void *arg)
{
    (void)arg;
    gate = gort_chan_make(sizeof(int), 0);
    go(blocked, NULL);
}

static void *entering_thread(void *arg)
{
    (void)arg;
    gort_run(start_blocked, NULL);
    return NULL;    /* this thread's exit leaves no counted plain thread */
}

static void release(void *arg)
{
    (void)arg;
    int v = 42;
    gort_chan_send(gate, &v);
}

int main(void)
{
    pthread_t th;
    CHECK_EQ_INT(pthread_create(&th, NULL, entering_thread, NULL), 0);
    CHECK_EQ_INT(pthread_join(th, NULL), 0);
    /* Nothing of gort's from this thread yet: it is not counted. */
    struct timespec ts = { 0, 500 * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }

    /* The goroutine was blocked all along (nothing could have woken it). */
    CHECK_EQ_INT(atomic_load(&got), 0);
    char *d = dump_to_string();
    CHECK_STR_CONTAINS(d, "[chan receive");
    free(d);
    CHECK_EQ_INT(gort_num_goroutine(), 1);

    gort_run(release, NULL);
    CHECK_EQ_INT(gort_leakcheck(MS(2000)), 0);
    CHECK_EQ_INT(atomic_load(&got), 42);
    printf("released\n");
    return 0;
}
