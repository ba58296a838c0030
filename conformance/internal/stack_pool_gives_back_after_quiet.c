// A size's pool keeps DIRTY_KEEP freed stacks committed for ever; beyond
// that, stacks that lay unused through a whole quiet window are given back
// (MADV_DONTNEED), oldest first, down to DIRTY_KEEP, and later reuse draws
// the committed ones first.  The window is closed by running the pools'
// check (stack_scavenge's) with the clock set far ahead, not by waiting.
#include "export_test.h"

#define EXTRA 300

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = stack_round_size(2 * page);
    CHECK_EQ_INT(size, 2 * page);
    size_t keep = xt_stack_pool(size).keep;
    int n = (int)keep + EXTRA;

    stack *s = calloc((size_t)n, sizeof *s);
    char **top = calloc((size_t)n, sizeof *top);   /* each stack's top page */
    CHECK(s && top);
    for (int i = 0; i < n; i++) {
        CHECK(stack_alloc(&s[i], size));
        top[i] = s[i].hi - page;
        *(volatile uint64_t *)top[i] = (uint64_t)i + 1;   /* commit it */
    }
    for (int i = 0; i < n; i++)
        stack_free(&s[i]);           /* s[0] is the oldest free stack */

    xt_pool p = xt_stack_pool(size);
    CHECK_MSG(p.dirty == (size_t)n && p.clean == 0,
              "right after the frees: %zu dirty, %zu given back (want %d, 0)", p.dirty, p.clean, n);
    for (int i = 0; i < n; i++)
        CHECK_MSG(xt_page_resident(top[i]), "stack %d given back before any quiet window", i);

    /* Quiet windows, far ahead of the real clock (whose own checks then do
     * nothing): the first pass opens a window, or closes the one the frees
     * opened; a window later the excess is gone. */
    int64_t t = coarse_now() + MS(1000) * 1000;
    xt_stack_scavenge_at(t);
    xt_pool mid = xt_stack_pool(size);
    CHECK_MSG(mid.clean > 0 && mid.dirty + mid.clean == (size_t)n && mid.dirty > keep,
              "after a quiet window: %zu dirty, %zu given back", mid.dirty, mid.clean);
    xt_stack_scavenge_at(t + MS(100));     /* a tenth of the next window: nothing more */
    p = xt_stack_pool(size);
    CHECK_MSG(p.dirty == mid.dirty, "stacks given back %zu -> %zu before their window ended",
              mid.dirty, p.dirty);
    for (int k = 2; k <= 5; k++)
        xt_stack_scavenge_at(t + MS(1100) * k);
    p = xt_stack_pool(size);
    NOTE("after the first window %zu dirty, %zu clean; at the end %zu dirty, %zu clean (keep %zu)\n",
         mid.dirty, mid.clean, p.dirty, p.clean, keep);
    CHECK_MSG(p.dirty == keep, "%zu stacks still committed after quiet windows, want DIRTY_KEEP %zu", p.dirty, keep);
    CHECK_EQ_INT(p.clean, EXTRA);
    for (int i = 0; i < n; i++) {
        bool want = i >= EXTRA;   /* the oldest EXTRA went back */
        CHECK_MSG(xt_page_resident(top[i]) == want, "stack %d (of %d, oldest first) %s", i, n,
                  want ? "given back, but it is among the newest DIRTY_KEEP" : "still committed");
    }

    /* Reuse: the committed ones first (newest first), then the given-back ones. */
    stack a = { 0 };
    CHECK(stack_alloc(&a, size));
    CHECK_MSG(a.hi - page == top[n - 1], "the first reuse is not the newest committed stack");
    CHECK_EQ_U64(*(uint64_t *)top[n - 1], (uint64_t)n);
    stack_free(&a);

    /* Nothing further goes while at DIRTY_KEEP, however long it stays quiet. */
    xt_stack_scavenge_at(t + MS(1100) * 20);
    p = xt_stack_pool(size);
    CHECK_EQ_INT(p.dirty, keep);
    CHECK_EQ_INT(p.clean, EXTRA);
    free(s);
    free(top);
    return 0;
}

GORT_MAIN(main_fn)
