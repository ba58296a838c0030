// Goroutines spawn goroutines: a binary tree 11 levels deep (2,047 goroutines),
// each node spawning its children from inside a goroutine, all run exactly once.
#include "check.h"

#define DEPTH 11
#define NODES ((1 << DEPTH) - 1)

static gort_waitgroup wg;
static _Atomic int visits[NODES];

static void node(void *arg)
{
    intptr_t i = (intptr_t)arg;          /* heap-style index: children 2i+1, 2i+2 */
    CHECK(gort_id() > 1);
    atomic_fetch_add(&visits[i], 1);
    if (2 * i + 2 < NODES) {
        uint64_t a = go(node, (void *)(2 * i + 1));
        uint64_t b = go(node, (void *)(2 * i + 2));
        CHECK(a > 0 && b > 0 && a != b && a != gort_id() && b != gort_id());
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_wg_add(&wg, NODES);
    go(node, (void *)0);
    gort_wg_wait(&wg);
    for (int i = 0; i < NODES; i++) CHECK_MSG(atomic_load(&visits[i]) == 1, "node %d ran %d times", i, atomic_load(&visits[i]));
    return 0;
}

GORT_MAIN(main_fn)
