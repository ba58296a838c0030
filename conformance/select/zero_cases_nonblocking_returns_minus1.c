// gort_select with n == 0 and block false returns -1 at once, with cases NULL
// or not.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_case dummy[1] = {{GORT_RECV, NULL, NULL, false}};
    for (int i = 0; i < 1000; i++) {
        CHECK_EQ_INT(gort_select(NULL, 0, false), -1);
        CHECK_EQ_INT(gort_select(dummy, 0, false), -1);
    }
    return 0;
}

GORT_MAIN(main_fn)
