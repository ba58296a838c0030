// gort_chan_make panics `makechan: size out of range` (Go's message, a
// recoverable panic) when elem_size * cap overflows or exceeds 2^48 bytes,
// Go's 64-bit allocation limit — before it tries to allocate anything.
// Each case runs in its own goroutine whose deferred call recovers and
// compares the whole string; the statement after the make never runs:
//   gort_chan_make(8, 2^59)            2^62 bytes, no overflow, over the limit
//   gort_chan_make(1, 2^48 + 1)        one byte over the limit
//   gort_chan_make(SIZE_MAX / 2, 3)    the product overflows
//   gort_chan_make(16, SIZE_MAX)       the product overflows
// An element size of 0 needs no buffer at all, so gort_chan_make(0, SIZE_MAX)
// is fine (cap SIZE_MAX, len 0), as make(chan struct{}, maxInt) is in Go.
// The cases run one after the other, so the first failure names its case
// (a runtime that tries to allocate 2^62 bytes dies with `fatal error: out
// of memory`).  The program goes on and exits 0.
#include "check.h"

#define WANT "makechan: size out of range"

static const struct { size_t elem, cap; const char *what; } cases[] = {
    { 8, (size_t)1 << 59, "gort_chan_make(8, 1<<59)" },
    { 1, ((size_t)1 << 48) + 1, "gort_chan_make(1, (1<<48)+1)" },
    { SIZE_MAX / 2, 3, "gort_chan_make(SIZE_MAX/2, 3)" },
    { 16, SIZE_MAX, "gort_chan_make(16, SIZE_MAX)" },
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

static char got[NCASES][160];
static _Atomic int after_make[NCASES];
static gort_chan *done;

static void rec(void *arg)
{
    intptr_t k = (intptr_t)arg;
    const char *m = gort_recover();
    snprintf(got[k], sizeof got[k], "%s", m ? m : "(no panic)");
    int one = 1;
    gort_chan_send(done, &one);
}

static void run_case(void *arg)
{
    intptr_t k = (intptr_t)arg;
    gort_defer(rec, arg);
    gort_chan *c = gort_chan_make(cases[k].elem, cases[k].cap);
    atomic_store(&after_make[k], 1);              /* not reached: the make panicked */
    gort_chan_unref(c);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    done = gort_chan_make(sizeof(int), 0);
    for (intptr_t k = 0; k < NCASES; k++) {
        go(run_case, (void *)k);
        int v = 0;
        CHECK(gort_chan_recv(done, &v));
        CHECK_MSG(strcmp(got[k], WANT) == 0, "%s: recovered \"%s\", want \"%s\"", cases[k].what, got[k], WANT);
        CHECK_MSG(atomic_load(&after_make[k]) == 0, "%s: the statement after the make ran", cases[k].what);
    }
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);

    /* element size 0: no buffer, any capacity */
    gort_chan *z = gort_chan_make(0, SIZE_MAX);
    CHECK(z != NULL);
    CHECK_EQ_U64(gort_chan_cap(z), SIZE_MAX);
    CHECK_EQ_U64(gort_chan_len(z), 0);
    CHECK(gort_chan_try_send(z, NULL));
    CHECK_EQ_U64(gort_chan_len(z), 1);
    bool ok = false;
    CHECK(gort_chan_try_recv(z, NULL, &ok));
    CHECK(ok);
    gort_chan_unref(z);
    gort_chan_unref(done);
    return 0;
}

GORT_MAIN(main_fn)
