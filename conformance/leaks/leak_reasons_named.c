// gort_leakcheck shows each leaked goroutine with Go's wait reason for what
// it is blocked in: `chan send`, `chan receive`, `select`, `select (no
// cases)`, `chan receive (nil chan)`, `chan send (nil chan)`,
// `sync.Mutex.Lock`, `sync.RWMutex.RLock`, `sync.RWMutex.Lock`,
// `sync.WaitGroup.Wait` and `sleep` — one goroutine each, every one listed
// exactly once as `goroutine N [REASON]:` with its own id and `created by
// .../leak_reasons_named.c:LINE` with the line of its gort_go; the count
// returned is the number of them.  Afterwards the ones that can be released
// are, and the check counts only those that cannot.
#include "leaks/leak_capture.h"

enum { SEND, RECV, SELECT, SELECT_NONE, RECV_NIL, SEND_NIL, MUTEX, RLOCK, WLOCK, WG, SLEEP, NKINDS };

static const char *const reason[NKINDS] = {
    [SEND] = "chan send",
    [RECV] = "chan receive",
    [SELECT] = "select",
    [SELECT_NONE] = "select (no cases)",
    [RECV_NIL] = "chan receive (nil chan)",
    [SEND_NIL] = "chan send (nil chan)",
    [MUTEX] = "sync.Mutex.Lock",
    [RLOCK] = "sync.RWMutex.RLock",
    [WLOCK] = "sync.RWMutex.Lock",
    [WG] = "sync.WaitGroup.Wait",
    [SLEEP] = "sleep",
};

static gort_chan *send_ch, *recv_ch, *sel_a, *sel_b;
static gort_mutex mu;
static gort_rwmutex rw_w_held, rw_r_held;   /* one held for writing, one for reading */
static gort_waitgroup wg;
static _Atomic int started;

static void blocker(void *arg)
{
    intptr_t k = (intptr_t)arg;
    int v = 1;
    atomic_fetch_add(&started, 1);
    switch (k) {
    case SEND: gort_chan_send(send_ch, &v); break;
    case RECV: (void)gort_chan_recv(recv_ch, &v); break;
    case SELECT: {
        gort_case cs[2] = { { GORT_RECV, sel_a, &v, false }, { GORT_SEND, sel_b, &v, false } };
        (void)gort_select(cs, 2, true);
        break;
    }
    case SELECT_NONE: (void)gort_select(NULL, 0, true); break;
    case RECV_NIL: (void)gort_chan_recv(NULL, &v); break;
    case SEND_NIL: gort_chan_send(NULL, &v); break;
    case MUTEX: gort_mutex_lock(&mu); gort_mutex_unlock(&mu); break;
    case RLOCK: gort_rwmutex_rlock(&rw_w_held); gort_rwmutex_runlock(&rw_w_held); break;
    case WLOCK: gort_rwmutex_lock(&rw_r_held); gort_rwmutex_unlock(&rw_r_held); break;
    case WG: gort_wg_wait(&wg); break;
    case SLEEP: gort_sleep(MS(3600 * 1000)); break;
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    send_ch = gort_chan_make(sizeof(int), 0);
    recv_ch = gort_chan_make(sizeof(int), 0);
    sel_a = gort_chan_make(sizeof(int), 0);
    sel_b = gort_chan_make(sizeof(int), 0);
    gort_mutex_lock(&mu);
    gort_rwmutex_lock(&rw_w_held);
    gort_rwmutex_rlock(&rw_r_held);
    gort_wg_add(&wg, 1);

    uint64_t id[NKINDS];
    int line[NKINDS];
    /* one gort_go per line, so that each creation site is distinct */
    id[SEND] = go(blocker, (void *)SEND); line[SEND] = __LINE__;
    id[RECV] = go(blocker, (void *)RECV); line[RECV] = __LINE__;
    id[SELECT] = go(blocker, (void *)SELECT); line[SELECT] = __LINE__;
    id[SELECT_NONE] = go(blocker, (void *)SELECT_NONE); line[SELECT_NONE] = __LINE__;
    id[RECV_NIL] = go(blocker, (void *)RECV_NIL); line[RECV_NIL] = __LINE__;
    id[SEND_NIL] = go(blocker, (void *)SEND_NIL); line[SEND_NIL] = __LINE__;
    id[MUTEX] = go(blocker, (void *)MUTEX); line[MUTEX] = __LINE__;
    id[RLOCK] = go(blocker, (void *)RLOCK); line[RLOCK] = __LINE__;
    id[WLOCK] = go(blocker, (void *)WLOCK); line[WLOCK] = __LINE__;
    id[WG] = go(blocker, (void *)WG); line[WG] = __LINE__;
    id[SLEEP] = go(blocker, (void *)SLEEP); line[SLEEP] = __LINE__;

    int64_t deadline = now_ns() + MS(5000);
    while (atomic_load(&started) < NKINDS && now_ns() < deadline) gort_sleep(US(200));
    gort_sleep(MS(20));                 /* every one is parked now */

    char *report = NULL;
    int n = leakcheck_capture(MS(20), &report, NULL);
    CHECK_MSG(n == NKINDS, "gort_leakcheck returned %d, want %d; report:\n%.1500s", n, NKINDS, report);
    CHECK_MSG(count_headers(report) == NKINDS, "%d goroutine headers, want %d:\n%.1500s", count_headers(report),
              NKINDS, report);
    for (int k = 0; k < NKINDS; k++) {
        char block[2048], head[128];
        if (!goroutine_block(report, id[k], block, sizeof block))
            FAIL("goroutine %llu (%s) not in the report:\n%.1500s", (unsigned long long)id[k], reason[k], report);
        snprintf(head, sizeof head, "goroutine %llu [%s]:", (unsigned long long)id[k], reason[k]);
        CHECK_MSG(strncmp(block, head, strlen(head)) == 0, "want \"%s\", got:\n%s", head, block);
        const char *cb = strstr(block, "created by ");
        CHECK_MSG(cb && has_site(cb, "leak_reasons_named.c", line[k]),
                  "no creation site leak_reasons_named.c:%d in:\n%s", line[k], block);
    }
    free(report);

    /* release what can be released; the rest can never end */
    int v = 0;
    CHECK(gort_chan_recv(send_ch, &v));
    gort_chan_send(recv_ch, &v);
    gort_chan_send(sel_a, &v);
    gort_mutex_unlock(&mu);
    gort_rwmutex_unlock(&rw_w_held);
    gort_rwmutex_runlock(&rw_r_held);
    gort_wg_done(&wg);
    n = leakcheck_capture(MS(300), &report, NULL);
    CHECK_MSG(n == 4, "gort_leakcheck returned %d after the release, want 4; report:\n%.1500s", n, report);
    for (int k = 0; k < NKINDS; k++) {
        bool forever = k == SELECT_NONE || k == RECV_NIL || k == SEND_NIL || k == SLEEP;
        char block[2048];
        CHECK_MSG((goroutine_block(report, id[k], block, sizeof block) != NULL) == forever,
                  "goroutine %llu (%s) %s the report:\n%.1500s", (unsigned long long)id[k], reason[k],
                  forever ? "missing from" : "still in", report);
    }
    free(report);
    gort_chan_unref(send_ch);
    gort_chan_unref(recv_ch);
    gort_chan_unref(sel_a);
    gort_chan_unref(sel_b);
    return 0;
}

GORT_MAIN(main_fn)
