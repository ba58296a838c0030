// A gort_defer made inside gort_once_do's function belongs to the goroutine
// like any other deferred call: it runs when the goroutine ends (or unwinds),
// exactly once, in LIFO order with the goroutine's other deferred calls, and
// it never displaces the runtime's own bookkeeping for the Once (marking it
// done and unlocking it).
//   1. A goroutine defers A, calls gort_once_do(fn) where fn defers B and C
//      and returns, then defers D and does more work: the Once is done, a
//      second gort_once_do (same goroutine) and a third (another goroutine)
//      return at once without calling fn, none of B, C ran before the
//      goroutine ended, and at its end D, C, B, A run once each, in that
//      order, on that goroutine.
//   2. fn defers E and panics; a deferred call the goroutine made before
//      gort_once_do recovers the panic: E ran (once, before the recovery),
//      the Once is done and unlocked (another goroutine's gort_once_do
//      returns at once without calling fn), the goroutine ends normally.
//   3. fn defers F and calls gort_exit: F runs once, the Once is done and
//      unlocked, the goroutine ends.
// The program exits 0 (no `fatal error: sync: unlock of unlocked mutex`).
// gort-test: env=GOMAXPROCS=2
#include "check.h"

static char trace[3][16];
static _Atomic int tn[3];
static _Atomic uint64_t who[3][8];
static gort_waitgroup ended;

static void note(int s, char c)
{
    int i = atomic_fetch_add(&tn[s], 1);
    if (i < 8) atomic_store(&who[s][i], gort_id());
    if (i < 15) trace[s][i] = c;
}

static void deferred(void *arg)
{
    intptr_t v = (intptr_t)arg;
    note((int)(v >> 8), (char)(v & 0xff));
}
#define TAG(s, c) ((void *)(intptr_t)(((s) << 8) | (c)))

static void last(void *arg)             /* registered first: the goroutine's end */
{
    note((int)(intptr_t)arg, '.');
    gort_wg_done(&ended);
}

static _Atomic int fn_calls[3];

/* ---- 1 ---- */
static gort_once once1;
static void fn1(void *arg)
{
    (void)arg;
    atomic_fetch_add(&fn_calls[0], 1);
    gort_defer(deferred, TAG(0, 'B'));
    gort_defer(deferred, TAG(0, 'C'));
}
static void never_fn(void *arg) { atomic_fetch_add(&fn_calls[(intptr_t)arg], 100); }
static _Atomic int mid_trace_len = -1, g1_continued;
static void g1(void *arg)
{
    (void)arg;
    gort_defer(last, (void *)0);
    gort_defer(deferred, TAG(0, 'A'));
    gort_once_do(&once1, fn1, NULL);
    gort_once_do(&once1, never_fn, (void *)0);     /* done: fn not called, no hang */
    gort_defer(deferred, TAG(0, 'D'));
    atomic_store(&mid_trace_len, atomic_load(&tn[0]));   /* B and C must not have run yet */
    gort_sleep(MS(1));                               /* the goroutine goes on: park, resume */
    gort_chan *c = gort_chan_make(sizeof(int), 1);
    int v = 5;
    gort_chan_send(c, &v);
    CHECK(gort_chan_recv(c, &v));
    gort_chan_unref(c);
    atomic_store(&g1_continued, 1);
}

/* ---- 2 ---- */
static gort_once once2;
static char recovered[64];
static _Atomic int e_before_recover = -1;
static void fn2(void *arg)
{
    (void)arg;
    atomic_fetch_add(&fn_calls[1], 1);
    gort_defer(deferred, TAG(1, 'E'));
    gort_panic("once fn panics");
}
static void rec2(void *arg)
{
    (void)arg;
    atomic_store(&e_before_recover, atomic_load(&tn[1]));
    const char *m = gort_recover();
    snprintf(recovered, sizeof recovered, "%s", m ? m : "(null)");
    note(1, 'R');
}
static void g2(void *arg)
{
    (void)arg;
    gort_defer(last, (void *)1);
    gort_defer(rec2, NULL);
    gort_once_do(&once2, fn2, NULL);
    note(1, '!');                                    /* not reached */
}

/* ---- 3 ---- */
static gort_once once3;
static void fn3(void *arg)
{
    (void)arg;
    atomic_fetch_add(&fn_calls[2], 1);
    gort_defer(deferred, TAG(2, 'F'));
    gort_exit();
}
static void g3(void *arg)
{
    (void)arg;
    gort_defer(last, (void *)2);
    gort_once_do(&once3, fn3, NULL);
    note(2, '!');                                    /* not reached */
}

/* another goroutine's gort_once_do on a done Once */
static gort_waitgroup other_wg;
static void other(void *arg)
{
    intptr_t s = (intptr_t)arg;
    gort_once *o = s == 0 ? &once1 : s == 1 ? &once2 : &once3;
    gort_once_do(o, never_fn, arg);
    gort_wg_done(&other_wg);
}

static void check_other(int s)
{
    gort_wg_add(&other_wg, 1);
    go(other, (void *)(intptr_t)s);
    int64_t deadline = now_ns() + MS(5000);
    while (gort_num_goroutine() > 1 && now_ns() < deadline) gort_sleep(MS(1));
    CHECK_MSG(gort_num_goroutine() == 1, "scenario %d: another goroutine's gort_once_do is stuck (the Once stayed locked)",
              s + 1);
    gort_wg_wait(&other_wg);
    CHECK_MSG(atomic_load(&fn_calls[s]) == 1, "scenario %d: fn ran %d times (>= 100: called again after done)", s + 1,
              atomic_load(&fn_calls[s]));
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    void (*gs[3])(void *) = { g1, g2, g3 };
    const char *want[3] = { "DCBA.", "ER.", "F." };
    for (int s = 0; s < 3; s++) {
        gort_wg_add(&ended, 1);
        uint64_t id = go(gs[s], NULL);
        gort_wg_wait(&ended);
        CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
        CHECK_MSG(strcmp(trace[s], want[s]) == 0, "scenario %d: deferred calls ran \"%s\", want \"%s\"", s + 1,
                  trace[s], want[s]);
        for (int i = 0; i < atomic_load(&tn[s]) && i < 8; i++)
            CHECK_MSG(atomic_load(&who[s][i]) == id, "scenario %d: deferred call %d ran on goroutine %llu, not %llu",
                      s + 1, i, (unsigned long long)atomic_load(&who[s][i]), (unsigned long long)id);
        check_other(s);
    }
    CHECK_MSG(atomic_load(&mid_trace_len) == 0,
              "1: %d deferred call(s) ran before the goroutine ended (when gort_once_do returned)",
              atomic_load(&mid_trace_len));
    CHECK_EQ_INT(atomic_load(&g1_continued), 1);
    CHECK_MSG(strcmp(recovered, "once fn panics") == 0, "2: recovered \"%s\"", recovered);
    CHECK_MSG(atomic_load(&e_before_recover) == 1, "2: %d deferred calls ran before the recovering one, want 1 (E)",
              atomic_load(&e_before_recover));
    return 0;
}

GORT_MAIN(main_fn)
