// A goroutine parked in gort_cond_wait shows in gort_dump as
// `goroutine N [sync.Cond.Wait]` (Go's wait reason) — not as a mutex or
// semaphore wait — and, once signalled, goes on.
#include "check.h"

static gort_mutex m;
static gort_cond c;
static gort_chan *running;
static gort_waitgroup fin;

static void waiter(void *arg)
{
    (void)arg;
    gort_mutex_lock(&m);
    gort_chan_send(running, NULL);
    gort_cond_wait(&c, &m);
    gort_mutex_unlock(&m);
    gort_wg_done(&fin);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    running = gort_chan_make(0, 0);
    gort_wg_add(&fin, 1);
    uint64_t id = go(waiter, NULL);
    gort_chan_recv(running, NULL);
    gort_mutex_lock(&m);                       /* the waiter has released m in gort_cond_wait */
    gort_mutex_unlock(&m);

    char head[96];
    snprintf(head, sizeof head, "goroutine %llu [sync.Cond.Wait", (unsigned long long)id);
    char *dump = NULL;
    int64_t end = now_ns() + MS(5000);
    for (;;) {                                 /* it may still be on its way to park */
        dump = dump_to_string();
        CHECK(dump != NULL);
        if (strstr(dump, head) || now_ns() > end) break;
        free(dump);
        gort_sleep(MS(1));
    }
    CHECK_MSG(strstr(dump, head) != NULL, "no \"%s\" in dump:\n%.900s", head, dump);
    free(dump);

    gort_mutex_lock(&m);
    gort_cond_signal(&c);
    gort_mutex_unlock(&m);
    gort_wg_wait(&fin);
    gort_chan_unref(running);
    return 0;
}

GORT_MAIN(main_fn)
