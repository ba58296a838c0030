// Stacks smaller than a page are not carved one per guarded slot: they are
// pieces of one slab, packed side by side (several to a page), each with a
// canary at its bottom instead of a guard page; a freed piece goes back to
// its size's free list and is the next one handed out.
#include "export_test.h"

#define K 32

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    CHECK_EQ_INT(stack_round_size(1000), 1024);
    CHECK_EQ_INT(stack_round_size(1025), 2048);
    size_t size = 1024;
    CHECK((size_t)K * size <= 64 * 1024);

    stack s[K];
    memset(s, 0, sizeof s);   /* as a G's: stack_alloc fills in what it owns */
    char *lo = NULL, *hi = NULL;
    for (int i = 0; i < K; i++) {
        CHECK(stack_alloc(&s[i], size));
        CHECK_EQ_INT(s[i].kind, STACK_KIND_PACKED);
        CHECK_EQ_INT(s[i].guard, GUARD_CANARY);
        CHECK_EQ_INT(s[i].size, size);
        CHECK(s[i].hi == s[i].lo + size);
        CHECK_MSG(stack_canary_intact(&s[i]), "packed stack %d has no canary", i);
        if (!lo || s[i].lo < lo) lo = s[i].lo;
        if (!hi || s[i].hi > hi) hi = s[i].hi;
        for (int j = 0; j < i; j++)
            CHECK_MSG(s[i].hi <= s[j].lo || s[j].hi <= s[i].lo, "stacks %d and %d overlap", i, j);
    }
    /* K pieces of one slab, side by side: K * size bytes in all. */
    CHECK_MSG((size_t)(hi - lo) == (size_t)K * size, "%d 1 KiB stacks span %zu bytes, want %zu (packed)",
              K, (size_t)(hi - lo), (size_t)K * size);
    int same_page = 0;
    for (int i = 0; i < K; i++)
        for (int j = 0; j < K; j++)
            same_page += i != j && ((uintptr_t)s[i].lo & ~(uintptr_t)(page - 1)) ==
                                   ((uintptr_t)s[j].lo & ~(uintptr_t)(page - 1));
    CHECK_EQ_INT(same_page, K * (int)(page / size - 1));   /* page/size to a page */

    /* A stack that used all of itself but the canary word: its neighbours
     * are untouched. */
    memset(s[5].lo + 8, 0x5a, size - 8);
    CHECK(stack_canary_intact(&s[4]) && stack_canary_intact(&s[5]) && stack_canary_intact(&s[6]));

    char *freed = s[5].lo;
    stack_free(&s[5]);
    stack again = { 0 };
    CHECK(stack_alloc(&again, size));
    CHECK_MSG(again.lo == freed, "a freed piece is not the next one handed out");
    CHECK_MSG(stack_canary_intact(&again), "a reused piece has no canary");
    stack_free(&again);
    for (int i = 0; i < K; i++)
        if (i != 5) stack_free(&s[i]);
    return 0;
}

GORT_MAIN(main_fn)
