// A NULL channel: len and cap are 0, try_send and try_recv would block (they
// return false and touch nothing), again and again.
#include "check.h"

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    CHECK_EQ_INT(gort_chan_len(NULL), 0);
    CHECK_EQ_INT(gort_chan_cap(NULL), 0);
    for (int i = 0; i < 100; i++) {
        int64_t v = 42;
        bool ok = true;
        CHECK(!gort_chan_try_send(NULL, &v));
        CHECK(!gort_chan_try_send(NULL, NULL));
        CHECK(!gort_chan_try_recv(NULL, &v, &ok));
        CHECK(!gort_chan_try_recv(NULL, NULL, NULL));
        CHECK_EQ_INT(v, 42);
    }
    return 0;
}

GORT_MAIN(main_fn)
