// gort_run from plain threads (no gort_main): several threads call it at once;
// each call runs fn as a goroutine (gort_id() > 0 inside, 0 outside) and returns
// only after fn returned, even though fn parks (sleeps, waits for goroutines it
// spawned).  The runtime stays up for later calls.
#include "check.h"
#include <pthread.h>

#define THREADS 4
#define CHILDREN 100

struct job {
    _Atomic int finished;
    _Atomic int children_ran;
    uint64_t id;
};

static void child(void *arg)
{
    struct job *j = arg;
    gort_sleep(US(100));
    atomic_fetch_add(&j->children_ran, 1);
}

struct child_arg { struct job *j; gort_waitgroup *wg; };

static void child_wrap(void *arg)
{
    struct child_arg *c = arg;
    child(c->j);
    gort_wg_done(c->wg);
}

static void fn(void *arg)
{
    struct job *j = arg;
    j->id = gort_id();
    CHECK(j->id > 0);
    gort_sleep(MS(20));
    gort_waitgroup wg = {0};
    struct child_arg ca = { j, &wg };
    gort_wg_add(&wg, CHILDREN);
    for (int i = 0; i < CHILDREN; i++) go(child_wrap, &ca);
    gort_wg_wait(&wg);
    CHECK_EQ_U64(gort_id(), j->id);
    gort_yield();
    atomic_store(&j->finished, 1);
}

static void *thread_main(void *arg)
{
    struct job *j = arg;
    CHECK_EQ_U64(gort_id(), 0);
    gort_run(fn, j);
    CHECK_MSG(atomic_load(&j->finished) == 1, "gort_run returned before fn returned");
    CHECK_EQ_INT(atomic_load(&j->children_ran), CHILDREN);
    CHECK_EQ_U64(gort_id(), 0);
    return NULL;
}

int main(void)
{
    static struct job jobs[THREADS + 2];
    pthread_t th[THREADS];
    CHECK_EQ_U64(gort_id(), 0);
    /* first use from the process's main thread starts the runtime */
    thread_main(&jobs[0]);
    for (int t = 0; t < THREADS; t++)
        CHECK_EQ_INT(pthread_create(&th[t], NULL, thread_main, &jobs[1 + t]), 0);
    for (int t = 0; t < THREADS; t++) CHECK_EQ_INT(pthread_join(th[t], NULL), 0);
    /* the runtime stayed up: once more from the main thread */
    thread_main(&jobs[THREADS + 1]);
    for (int a = 0; a < THREADS + 2; a++)
        for (int b = a + 1; b < THREADS + 2; b++) CHECK(jobs[a].id != jobs[b].id);
    return 0;
}
