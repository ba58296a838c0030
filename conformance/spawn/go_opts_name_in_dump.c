// gort_go_at with opts->name: the name is shown in gort_dump for that goroutine;
// a NULL name and NULL opts are fine too.
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
    gort_go_opts named = { .stack_size = 0, .name = "conformance-worker-xyzzy" };
    gort_go_opts unnamed = { .stack_size = 0, .name = NULL };
    gort_wg_add(&gate, 1);
    gort_wg_add(&parked, 3);
    uint64_t a = gort_go_at(sleeper, NULL, &named, __FILE__, __LINE__);
    uint64_t b = gort_go_at(sleeper, NULL, &unnamed, __FILE__, __LINE__);
    uint64_t c = gort_go_at(sleeper, NULL, NULL, __FILE__, __LINE__);
    CHECK(a > 0 && b > 0 && c > 0 && a != b && b != c && a != c);
    gort_wg_wait(&parked);
    gort_sleep(MS(10));

    char *dump = dump_to_string();
    CHECK(dump != NULL);
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [", (unsigned long long)a);
    char *block = strstr(dump, head);
    CHECK_MSG(block != NULL, "no \"%s\" in dump:\n%.600s", head, dump);
    char *end = strstr(block + 1, "\ngoroutine ");
    if (end) *end = 0;
    CHECK_STR_CONTAINS(block, "conformance-worker-xyzzy");
    CHECK_EQ_INT(count_substr(dump, "conformance-worker-xyzzy"), 1);
    free(dump);
    gort_wg_done(&gate);
    return 0;
}

GORT_MAIN(main_fn)
