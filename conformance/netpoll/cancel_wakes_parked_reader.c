// A goroutine parked in gort_read (socketpair, nobody writes) with a
// cancelable ctx wakes when another goroutine cancels the ctx 100 ms later:
// gort_read returns -ECANCELED, not before the cancel and within a generous
// 500 ms after it (the issue says "at once").  The descriptor is still
// usable afterwards (a byte written then is read).  Then 8 readers on 8
// socketpairs parked under one ctx all wake with -ECANCELED when it is
// canceled.
// gort-test: env=GOMAXPROCS=2
#include "np.h"

#define G 8

static int sv[G][2];
static gort_ctx *ctx;
static gort_waitgroup entered, finished;
static _Atomic int64_t returned_at[G];
static _Atomic int result[G];

static void reader(void *arg)
{
    intptr_t i = (intptr_t)arg;
    char buf[8];
    gort_wg_done(&entered);
    ssize_t r = gort_read(sv[i][0], buf, sizeof buf, ctx);
    atomic_store(&result[i], (int)r);
    atomic_store(&returned_at[i], gort_now());
    gort_wg_done(&finished);
}

/* Starts n readers under a fresh ctx, cancels it 100 ms later, checks them. */
static void round_of(int n)
{
    ctx = gort_ctx_with_cancel(gort_ctx_background());
    gort_wg_add(&entered, n);
    gort_wg_add(&finished, n);
    for (intptr_t i = 0; i < n; i++) {
        atomic_store(&returned_at[i], 0);
        go(reader, (void *)i);
    }
    gort_wg_wait(&entered);
    gort_sleep(MS(100));                       /* they are parked in gort_read */
    for (int i = 0; i < n; i++)
        CHECK_MSG(atomic_load(&returned_at[i]) == 0, "reader %d returned %d (%s) before the cancel", i,
                  atomic_load(&result[i]), np_strerror(atomic_load(&result[i])));
    int64_t t_cancel = gort_now();
    gort_ctx_cancel(ctx);
    gort_wg_wait(&finished);
    for (int i = 0; i < n; i++) {
        int64_t lat = atomic_load(&returned_at[i]) - t_cancel;
        CHECK_MSG(atomic_load(&result[i]) == -ECANCELED, "reader %d: gort_read returned %d (%s); want -ECANCELED",
                  i, atomic_load(&result[i]), np_strerror(atomic_load(&result[i])));
        CHECK_MSG(lat >= 0, "reader %d returned before the cancel", i);
        CHECK_MSG(lat < MS(500), "reader %d woke %lld ms after the cancel", i, (long long)(lat / 1000000));
        if (i == 0) NOTE("%d reader(s): first woke %lld us after the cancel\n", n, (long long)(lat / 1000));
    }
    CHECK_EQ_INT(gort_ctx_err(ctx), GORT_CANCELED);
    gort_ctx_unref(ctx);

    /* still usable: a byte written now is read (no stale waiter, nothing consumed) */
    for (int i = 0; i < n; i++) {
        CHECK_EQ_INT(write(sv[i][1], "k", 1), 1);
        char c = 0;
        gort_ctx *guard = gort_ctx_with_timeout(gort_ctx_background(), MS(2000));
        ssize_t r = gort_read(sv[i][0], &c, 1, guard);
        CHECK_MSG(r == 1 && c == 'k', "pair %d after the cancel: gort_read returned %zd (%s)", i, r,
                  np_strerror(r));
        gort_ctx_unref(guard);
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int i = 0; i < G; i++) np_socketpair(sv[i]);
    round_of(1);
    round_of(G);
    return 0;
}

GORT_MAIN(main_fn)
