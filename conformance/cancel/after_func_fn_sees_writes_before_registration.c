// What the caller wrote before gort_ctx_after_func comes before fn, however
// the context ends (as in Go, where AfterFunc registers under the
// context's lock, which cancel takes): main creates a 10 ms timeout, then
// fills a plain struct and registers fn with it; the deadline timer ends
// the context and fn, in its own goroutine, sees every field; 50 rounds.
// Under ThreadSanitizer the program must report no race (the struct is
// plain memory, and nothing but the registration orders main's writes
// before the timer's cancellation).
#include "check.h"

typedef struct job {
    int x;
    long fields[8];
    gort_chan *done;
} job;

static _Atomic int bad;

static void fn(void *arg)
{
    job *j = arg;
    if (j->x != 42) atomic_store(&bad, 1);
    for (int i = 0; i < 8; i++)
        if (j->fields[i] != i * 7L) atomic_store(&bad, 1);
    gort_chan_close(j->done);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (int round = 0; round < 50; round++) {
        gort_ctx *ctx = gort_ctx_with_timeout(gort_ctx_background(), MS(10));
        job *j = malloc(sizeof *j);
        CHECK(j != NULL);
        j->x = 42;                       /* after the timer was armed */
        for (int i = 0; i < 8; i++) j->fields[i] = i * 7L;
        j->done = gort_chan_make(0, 0);
        gort_afterfunc *a = gort_ctx_after_func(ctx, fn, j);
        gort_chan *t = gort_after(MS(10000));
        gort_case cs[2] = { { GORT_RECV, j->done, NULL, false }, { GORT_RECV, t, NULL, false } };
        CHECK_MSG(gort_select(cs, 2, true) == 0, "round %d: fn not run 10 s after a 10 ms timeout", round);
        gort_chan_unref(t);
        CHECK_MSG(atomic_load(&bad) == 0, "round %d: fn saw the struct before main's writes", round);
        CHECK(!gort_afterfunc_stop(a));
        gort_ctx_unref(ctx);
        gort_chan_unref(j->done);
        free(j);
    }
    return 0;
}

GORT_MAIN(main_fn)
