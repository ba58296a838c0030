// A freed arena stack goes to its size's pool still committed ("dirty") and
// is the next stack of that size handed out, last freed first, without being
// given back to the kernel in between: what the goroutine left on it is
// still there.  A size no goroutine of this program uses keeps the pool to
// the test alone.
#include "export_test.h"

static void put_mark(stack *s, uint64_t v) { *(uint64_t *)(s->hi - 64) = v; }
static uint64_t get_mark(const stack *s) { return *(const uint64_t *)(s->hi - 64); }

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = stack_round_size(5 * page + 1);   /* 6 pages */
    CHECK_EQ_INT(size, 6 * page);
    xt_pool p0 = xt_stack_pool(size);
    CHECK_EQ_INT(p0.dirty, 0);
    CHECK_EQ_INT(p0.clean, 0);

    stack a = { 0 }, b = { 0 };   /* zeroed, as a G's */
    CHECK(stack_alloc(&a, size));
    CHECK(stack_alloc(&b, size));
    CHECK_EQ_INT(a.kind, STACK_KIND_ARENA);
    CHECK_EQ_INT(a.size, size);
    CHECK(a.hi == a.lo + size && b.hi == b.lo + size);
    CHECK(a.lo != b.lo);
    char *alo = a.lo, *blo = b.lo;
    put_mark(&a, 0xAAAA);
    put_mark(&b, 0xBBBB);

    stack_free(&a);
    CHECK_MSG(a.lo == NULL, "stack_free did not clear the descriptor");
    CHECK_EQ_INT(xt_stack_pool(size).dirty, 1);
    stack_free(&b);
    xt_pool p1 = xt_stack_pool(size);
    CHECK_EQ_INT(p1.dirty, 2);
    CHECK_EQ_INT(p1.clean, 0);

    stack c = { 0 }, d = { 0 };
    CHECK(stack_alloc(&c, size));
    CHECK_MSG(c.lo == blo, "the first stack after two frees is not the last one freed");
    CHECK_MSG(get_mark(&c) == 0xBBBB, "the reused stack was given back: its contents are gone (%#llx)",
              (unsigned long long)get_mark(&c));
    CHECK(stack_alloc(&d, size));
    CHECK_MSG(d.lo == alo, "the second stack is not the first one freed");
    CHECK_MSG(get_mark(&d) == 0xAAAA, "the reused stack was given back: its contents are gone");
    CHECK(stack_check_canary(&c) && stack_check_canary(&d));
    xt_pool p2 = xt_stack_pool(size);
    CHECK_EQ_INT(p2.dirty, 0);
    CHECK_EQ_INT(p2.clean, 0);

    /* An empty pool carves a new slot. */
    stack e = { 0 };
    CHECK(stack_alloc(&e, size));
    CHECK(e.lo != alo && e.lo != blo);
    stack_free(&c);
    stack_free(&d);
    stack_free(&e);
    CHECK_EQ_INT(xt_stack_pool(size).dirty, 3);
    return 0;
}

GORT_MAIN(main_fn)
