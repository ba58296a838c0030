// While a plain thread that has called into gort is alive, it could still
// wake a goroutine, so no deadlock is declared: main waits on a WaitGroup
// that a plain pthread (which registered itself with an earlier gort call)
// completes 300 ms later, with no timer pending in the runtime meanwhile.
// gort-test: stdout=^woken by the thread$
#include "check.h"

#include <pthread.h>
#include <time.h>

static gort_waitgroup wg, hello;

static void *thread_main(void *arg)
{
    (void)arg;
    gort_wg_done(&hello);           /* calls into gort: now counted */
    struct timespec ts = { 0, 300 * 1000000L };
    nanosleep(&ts, NULL);           /* a thread sleep, not a runtime timer */
    gort_wg_done(&wg);
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, 1);
    gort_wg_add(&hello, 1);
    pthread_t th;
    CHECK_EQ_INT(pthread_create(&th, NULL, thread_main, NULL), 0);
    gort_wg_wait(&hello);
    gort_wg_wait(&wg);
    printf("woken by the thread\n");
    CHECK_EQ_INT(pthread_join(th, NULL), 0);
    return 0;
}

GORT_MAIN(main_fn)
