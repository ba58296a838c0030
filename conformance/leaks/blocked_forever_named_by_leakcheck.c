// gort_leakcheck names a goroutine blocked for ever: with one goroutine stuck
// in a receive on a channel nobody sends on, gort_leakcheck(50 ms) waits out
// its timeout (it returns no earlier than 50 ms and well within 2 s), returns
// 1, and writes to stderr, in gort_dump's format, `goroutine N [chan
// receive]:` with that goroutine's id and `created by
// .../blocked_forever_named_by_leakcheck.c:LINE` with the line of its
// gort_go — and nothing about main (the caller) or any other goroutine.
// Once the channel is closed the goroutine ends, and a second
// gort_leakcheck returns 0 and writes nothing.
#include "leaks/leak_capture.h"

static gort_chan *ch;

static void receiver(void *arg)
{
    (void)arg;
    int v;
    (void)gort_chan_recv(ch, &v);       /* blocks until the channel is closed */
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    ch = gort_chan_make(sizeof(int), 0);
    uint64_t id = go(receiver, NULL); int line = __LINE__;
    gort_sleep(MS(10));                 /* let it block */

    char *report = NULL;
    int64_t took = 0;
    int n = leakcheck_capture(MS(50), &report, &took);
    CHECK_MSG(n == 1, "gort_leakcheck returned %d, report:\n%.900s", n, report);
    CHECK_MSG(took >= MS(50) && took < MS(2000), "gort_leakcheck(50 ms) took %lld ms", (long long)(took / 1000000));

    char block[2048];
    CHECK_MSG(goroutine_block(report, id, block, sizeof block) != NULL, "goroutine %llu not in the report:\n%.900s",
              (unsigned long long)id, report);
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [chan receive]:", (unsigned long long)id);
    CHECK_MSG(strncmp(block, head, strlen(head)) == 0, "want \"%s\", report:\n%.900s", head, report);
    CHECK_STR_CONTAINS(block, "created by ");
    CHECK_MSG(has_site(strstr(block, "created by "), "blocked_forever_named_by_leakcheck.c", line),
              "no creation site blocked_forever_named_by_leakcheck.c:%d in:\n%s", line, block);
    /* only that goroutine: one header, and not main's */
    CHECK_MSG(count_headers(report) == 1, "more than one goroutine in the report:\n%.900s", report);
    CHECK_MSG(strstr(report, "goroutine 1 [") == NULL, "main listed:\n%.900s", report);
    free(report);

    gort_chan_close(ch);
    n = leakcheck_capture(MS(2000), &report, &took);
    CHECK_MSG(n == 0, "gort_leakcheck returned %d after the release, report:\n%.900s", n, report);
    CHECK_MSG(report[0] == 0, "gort_leakcheck wrote something with nothing leaked:\n%.900s", report);
    free(report);
    gort_chan_unref(ch);
    return 0;
}

GORT_MAIN(main_fn)
