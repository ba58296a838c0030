// Goroutine stacks keep the ABI's 16-byte alignment: at entry of the
// goroutine's function, after a park, and in a nested call, the frame address
// is 16-byte aligned, and SSE/long double code that relies on it works.
#include "check.h"

static gort_waitgroup wg;

static CHECK_NOINLINE void check_frame(const char *where)
{
    uintptr_t fa = (uintptr_t)__builtin_frame_address(0);
    CHECK_MSG(fa % 16 == 0, "frame address %p not 16-byte aligned %s", (void *)fa, where);
}

static CHECK_NOINLINE long double ld_work(long double x)
{
    volatile long double v[4] = { x, x * 2, x * 3, x * 4 };
    return v[0] + v[1] + v[2] + v[3];
}

static void body(void *arg)
{
    uintptr_t fa = (uintptr_t)__builtin_frame_address(0);
    CHECK_MSG(fa % 16 == 0, "goroutine entry frame %p not 16-byte aligned", (void *)fa);
    check_frame("in a call from a goroutine");
    char buf[64];
    snprintf(buf, sizeof buf, "%.3Lf %.3f", ld_work(1.5L), (double)(intptr_t)arg * 0.5);
    gort_yield();
    check_frame("after a park");
    CHECK_MSG(ld_work(2.0L) == 20.0L, "long double arithmetic broken");
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    check_frame("in main");
    gort_go_opts sizes[] = { { 0, NULL }, { 8192, NULL }, { 100000, NULL }, { 65544, NULL } };
    gort_wg_add(&wg, 40);
    for (intptr_t i = 0; i < 40; i++) gort_go_at(body, (void *)i, &sizes[i % 4], __FILE__, __LINE__);
    gort_wg_wait(&wg);
    return 0;
}

GORT_MAIN(main_fn)
