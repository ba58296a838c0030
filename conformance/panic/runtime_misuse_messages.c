// Misuse that Go answers with a panic is a recoverable panic with Go's exact
// message.  Each case runs in its own goroutine whose deferred call recovers
// and compares the whole string:
//   gort_chan_make of an absurd size      makechan: size out of range
//   gort_ctx_with_cancel(NULL)            cannot create context from nil parent
//   gort_ctx_with_timeout(NULL, ...)      cannot create context from nil parent
//   gort_ctx_with_value(bg, NULL, ...)    nil key
//   gort_timer_stop(NULL)                 time: Stop called on uninitialized Timer
//   gort_timer_reset(NULL, ...)           time: Reset called on uninitialized Timer
//   non-blocking select sending on a closed channel   send on closed channel
// (The channel close/send panics and the WaitGroup's negative counter are
// recovered the same way in chan/channel_panics_recoverable.c and
// sync/wg_negative_panic_recoverable.c.)  The program goes on and exits 0.
#include "check.h"

enum { MAKECHAN, CANCEL_NIL, TIMEOUT_NIL, NIL_KEY, STOP_NIL, RESET_NIL, SELECT_CLOSED, NCASES };

static const char *const want[NCASES] = {
    [MAKECHAN] = "makechan: size out of range",
    [CANCEL_NIL] = "cannot create context from nil parent",
    [TIMEOUT_NIL] = "cannot create context from nil parent",
    [NIL_KEY] = "nil key",
    [STOP_NIL] = "time: Stop called on uninitialized Timer",
    [RESET_NIL] = "time: Reset called on uninitialized Timer",
    [SELECT_CLOSED] = "send on closed channel",
};

static char got[NCASES][160];
static _Atomic int returned[NCASES];
static gort_waitgroup wg;
static gort_chan *closed_ch;

static void rec(void *arg)
{
    intptr_t k = (intptr_t)arg;
    const char *m = gort_recover();
    snprintf(got[k], sizeof got[k], "%s", m ? m : "(no panic)");
    gort_wg_done(&wg);
}

static void run_case(void *arg)
{
    intptr_t k = (intptr_t)arg;
    gort_defer(rec, arg);
    switch (k) {
    case MAKECHAN:
        (void)gort_chan_make(SIZE_MAX / 4, SIZE_MAX / 4);
        break;
    case CANCEL_NIL:
        (void)gort_ctx_with_cancel(NULL);
        break;
    case TIMEOUT_NIL:
        (void)gort_ctx_with_timeout(NULL, MS(10));
        break;
    case NIL_KEY:
        (void)gort_ctx_with_value(gort_ctx_background(), NULL, (void *)1);
        break;
    case STOP_NIL:
        (void)gort_timer_stop(NULL);
        break;
    case RESET_NIL:
        gort_timer_reset(NULL, MS(1));
        break;
    case SELECT_CLOSED: {
        int v = 1;
        gort_case cs[1] = { { GORT_SEND, closed_ch, &v, false } };
        (void)gort_select(cs, 1, false);
        break;
    }
    }
    atomic_store(&returned[k], 1);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    closed_ch = gort_chan_make(sizeof(int), 1);
    gort_chan_close(closed_ch);
    gort_wg_add(&wg, NCASES);
    for (intptr_t k = 0; k < NCASES; k++) go(run_case, (void *)k);
    gort_wg_wait(&wg);
    for (int k = 0; k < NCASES; k++) {
        CHECK_MSG(strcmp(got[k], want[k]) == 0, "case %d: recovered \"%s\", want \"%s\"", k, got[k], want[k]);
        CHECK_MSG(atomic_load(&returned[k]) == 0, "case %d: the call returned after panicking", k);
    }
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_chan_unref(closed_ch);
    return 0;
}

GORT_MAIN(main_fn)
