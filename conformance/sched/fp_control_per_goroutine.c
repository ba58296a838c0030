// The floating-point control state (rounding mode: MXCSR and the x87 control
// word on x86-64, FPCR on AArch64) belongs to the goroutine: one goroutine's
// fesetround() is kept across its parks and migrations and never leaks into
// another goroutine, including ones created later; a new goroutine starts in
// the default round-to-nearest mode.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#include <fenv.h>

#define ROUNDS 2000

static gort_waitgroup wg;

/* volatile operands: the division happens at run time, in the current mode */
static volatile double one = 1.0, three = 3.0;
static CHECK_NOINLINE double third(double unused) { (void)unused; return one / three; }

static void keep_mode(void *arg)
{
    int mode = (int)(intptr_t)arg;
    CHECK_EQ_INT(fegetround(), FE_TONEAREST);   /* the default, whatever others set */
    CHECK_EQ_INT(fesetround(mode), 0);
    double expect = third(1.0);                   /* rounded per `mode` */
    for (int i = 0; i < ROUNDS; i++) {
        if (i % 3 == 0) gort_yield();
        else if (i % 3 == 1) gort_sleep(i % 50 == 1 ? US(20) : 0);
        else gort_yield();
        CHECK_MSG(fegetround() == mode, "rounding mode %d became %d after a switch", mode, fegetround());
        CHECK_MSG(third(1.0) == expect, "1/3 rounds differently after a switch (mode %d)", mode);
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    static const int modes[] = { FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD };
    /* the modes really differ on this machine */
    CHECK_EQ_INT(fesetround(FE_UPWARD), 0);
    double up = third(1.0);
    CHECK_EQ_INT(fesetround(FE_DOWNWARD), 0);
    double down = third(1.0);
    if (up == down)
        SKIP_UNDER_VALGRIND("Valgrind's CPU does not honour the rounding mode here (FE_UPWARD and FE_DOWNWARD give the same 1/3)");
    CHECK_MSG(up != down, "FE_UPWARD and FE_DOWNWARD give the same 1/3");
    CHECK_EQ_INT(fesetround(FE_TONEAREST), 0);

    gort_wg_add(&wg, 4 * 8);
    for (int k = 0; k < 8; k++)
        for (int i = 0; i < 4; i++)
            go(keep_mode, (void *)(intptr_t)modes[i]);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(fegetround(), FE_TONEAREST);
    return 0;
}

GORT_MAIN(main_fn)
