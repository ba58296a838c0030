// systemstack runs a call on the M's scheduler stack (g0), not on the
// calling goroutine's, and returns to the goroutine: a goroutine on a
// 16 KiB stack runs, through it, a function that uses 32 KiB of stack (on
// its own stack that is a fatal stack overflow).  The function finds its
// frame on this M's g0 stack and outside the goroutine's; the goroutine's
// own stack below its frame holds at most systemstack's own frame (the
// pattern painted there is nearly whole); the result comes back.  From a
// plain thread systemstack is a plain call on that thread's stack.  (A
// paged stack, not a packed one, so that the sanitizer builds run it too:
// their frames do not fit 1 KiB.  The packed case is
// internal/thread_start_from_subpage_goroutine_stays_off_its_stack.)
#include "export_test.h"

#include <pthread.h>

#define DEEP (32 * 1024)   /* an M's g0 stack is 256 KiB, less TSan's large TLS */

struct deep_call {
    uintptr_t sp;        /* where the call ran */
    uintptr_t g0_lo, g0_hi;
    long sum;
};

__attribute__((noinline)) static void deep(void *arg)
{
    struct deep_call *c = arg;
    volatile char buf[DEEP];
    for (int i = 0; i < DEEP; i++)
        buf[i] = (char)i;
    long s = 0;
    for (int i = 0; i < DEEP; i++)
        s += buf[i];
    c->sum = s;
    c->sp = (uintptr_t)__builtin_frame_address(0);
}

static long expected_sum(void)
{
    long s = 0;
    for (int i = 0; i < DEEP; i++)
        s += (char)i;
    return s;
}

static gort_waitgroup done;
static size_t painted, left;
static struct deep_call on_g;
static uintptr_t g_lo, g_hi;

static void caller(void *arg)
{
    (void)arg;
    G *g = gort__getg();
    M *m = gort__getm();
    g_lo = (uintptr_t)g->stk.lo;
    g_hi = (uintptr_t)g->stk.hi;
    on_g.g0_lo = (uintptr_t)m->g0_lo;
    on_g.g0_hi = (uintptr_t)m->g0_lo + m->g0_size;
    painted = xt_stack_paint();
    systemstack(deep, &on_g);
    left = xt_stack_paint_left();
    gort_wg_done(&done);
}

static struct deep_call on_thread;
static uintptr_t thread_frame;

static void *plain(void *arg)
{
    (void)arg;
    thread_frame = (uintptr_t)__builtin_frame_address(0);
    systemstack(deep, &on_thread);
    return NULL;
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_go_opts o = { .stack_size = 16 * 1024, .name = NULL };
    gort_wg_add(&done, 1);
    gort_go_at(caller, NULL, &o, __FILE__, __LINE__);
    gort_wg_wait(&done);
    NOTE("goroutine stack [%#lx, %#lx); deep call's frame at %#lx; g0 stack [%#lx, %#lx); "
         "%zu bytes painted, %zu left\n", (unsigned long)g_lo, (unsigned long)g_hi,
         (unsigned long)on_g.sp, (unsigned long)on_g.g0_lo, (unsigned long)on_g.g0_hi, painted, left);
    CHECK_MSG(g_hi - g_lo < DEEP, "the goroutine's stack (%lu bytes) could hold the call", (unsigned long)(g_hi - g_lo));
    CHECK_MSG(on_g.sum == expected_sum(), "the call's result did not come back (%ld)", on_g.sum);
    CHECK_MSG(on_g.sp < g_lo || on_g.sp >= g_hi, "the call ran on the goroutine's own stack");
    CHECK_MSG(on_g.sp >= on_g.g0_lo && on_g.sp < on_g.g0_hi, "the call did not run on the M's g0 stack");
    CHECK_MSG(painted >= 256, "only %zu bytes of the goroutine's stack could be painted", painted);
    /* systemstack's own frame is all the goroutine's stack may hold (a few
     * dozen bytes past the unpainted margin, more with ASan's redzones):
     * nothing of the call's 128 KiB. */
    CHECK_MSG(painted - left < 2048, "the goroutine's stack below its frame was used down to %zu bytes "
              "(%zu of %zu painted bytes left)", painted - left, left, painted);

    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, plain, NULL), 0);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    CHECK_MSG(on_thread.sum == expected_sum(), "the plain thread's call returned %ld", on_thread.sum);
    CHECK_MSG(on_thread.sp < thread_frame && thread_frame - on_thread.sp < DEEP + 4096,
              "from a plain thread the call is not a plain call below its frame (%#lx, frame %#lx)",
              (unsigned long)on_thread.sp, (unsigned long)thread_frame);
    return 0;
}

GORT_MAIN(main_fn)
