// A goroutine whose function ends with a call into gort that the compiler
// turns into a tail call (a jump: the function then has no frame of its
// own on the stack) is shown in the dump at the public call it made,
// `gort_chan_recv(...)` with its file and line, and never at the runtime's
// internals (`switch_from`, `park_g`): the frames above the API call are
// the runtime's and are hidden, as Go hides gopark.  (In a Debug build
// there is no tail call and the goroutine's own frame shows too.)
#include "check.h"

static gort_chan *never;
static gort_waitgroup started;

static void ends_in_recv(void *arg)
{
    (void)arg;
    gort_wg_done(&started);
    gort_chan_recv(never, NULL);   /* the last statement: a tail call at -O2 */
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    never = gort_chan_make(0, 0);
    gort_wg_add(&started, 1);
    uint64_t id = go(ends_in_recv, NULL);
    gort_wg_wait(&started);
    gort_sleep(MS(20));   /* parked by now */
    char *dump = dump_to_string();
    CHECK(dump != NULL);
    char head[64];
    snprintf(head, sizeof head, "goroutine %llu [chan receive]:\n", (unsigned long long)id);
    const char *block = strstr(dump, head);
    CHECK_MSG(block != NULL, "no \"%s\" in the dump:\n%s", head, dump);
    const char *first = block + strlen(head);
    CHECK_MSG(strncmp(first, "gort_chan_recv(...)", 19) == 0,
              "the parked goroutine's first frame is not its gort_chan_recv call:\n%s", block);
    CHECK_MSG(strstr(dump, "switch_from") == NULL && strstr(dump, "park_g") == NULL,
              "runtime internals shown in the dump:\n%s", dump);
    free(dump);
    return 0;
}

GORT_MAIN(main_fn)
