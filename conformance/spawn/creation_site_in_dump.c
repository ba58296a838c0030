// The creation site of a goroutine is recorded: gort_dump shows a parked
// goroutine as `goroutine N [...]` followed (in its block) by
// `created by FILE:LINE` naming this file and the line of the gort_go call.
#include "check.h"

static gort_waitgroup gate, parked;

static void sleeper(void *arg)
{
    (void)arg;
    gort_wg_done(&parked);
    gort_wg_wait(&gate);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&gate, 1);
    gort_wg_add(&parked, 1);
    uint64_t id = go(sleeper, NULL); int line = __LINE__;
    gort_wg_wait(&parked);
    gort_sleep(MS(10));                 /* let it park on the gate */

    char *dump = dump_to_string();
    CHECK(dump != NULL);
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [", (unsigned long long)id);
    char *block = strstr(dump, head);
    CHECK_MSG(block != NULL, "no \"%s\" in dump:\n%.600s", head, dump);
    /* the goroutine's block ends at the next blank line or the next header */
    char *end = strstr(block + 1, "\ngoroutine ");
    if (end) *end = 0;
    char site[128];
    snprintf(site, sizeof site, "creation_site_in_dump.c:%d", line);
    CHECK_STR_CONTAINS(block, "created by ");
    CHECK_STR_CONTAINS(block, site);
    free(dump);
    gort_wg_done(&gate);
    return 0;
}

GORT_MAIN(main_fn)
