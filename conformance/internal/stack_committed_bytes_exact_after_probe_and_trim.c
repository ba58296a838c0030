// gort_stats.stack_committed_bytes counts the stacks' resident pages, less
// the pages that only map the kernel's shared zero page: the runtime's own
// probe of a stack's deep part (stack_went_deep reads the page below the
// trim watermark, which maps the zero page when nothing wrote it) commits
// nothing and is not counted.  So neither probing untouched stacks nor then
// trimming them (stack_trim gives back everything below the watermark, the
// probe's mapping included) changes the figure: after both it is what it
// was before.  Eight fresh stacks of a size no goroutine uses; mincore
// shows each probe mapped one page and the trim dropped it.  (A stack_trim
// that dropped the mapping but still counted it as a probe's would make
// the figure a page lower per stack.)
#include "export_test.h"

#include <sys/mman.h>

#define N 8

static size_t page;

/* Resident pages of [lo, hi), page by page (a guard page may make a
 * whole-range mincore fail in some environments). */
static int resident_pages(const char *lo, const char *hi)
{
    int n = 0;
    for (const char *p = lo; p < hi; p += page)
        n += xt_page_resident(p);
    return n;
}

static int64_t committed(void)
{
    gort_stats s;
    memset(&s, 0, sizeof s);
    gort_stats_get(&s);
    return s.stack_committed_bytes;
}

/* Probes and trims n fresh stacks of `size` bytes; returns the committed
 * figure before, after the probes and after the trims. */
static void probe_and_trim(size_t size, int64_t c[3])
{
    stack s[N];
    memset(s, 0, sizeof s);
    for (int i = 0; i < N; i++) {
        CHECK(stack_alloc(&s[i], size));
        CHECK_EQ_INT(s[i].kind, STACK_KIND_ARENA);
        CHECK_EQ_INT(resident_pages(s[i].lo, s[i].hi), 0);
    }
    c[0] = committed();
    for (int i = 0; i < N; i++) {
        CHECK_MSG(!stack_went_deep(&s[i]), "an untouched stack is said to have gone deep");
        CHECK_MSG(resident_pages(s[i].lo, s[i].hi) == 1,
                  "the deep-use probe of an untouched stack mapped %d pages (want 1, the zero page)",
                  resident_pages(s[i].lo, s[i].hi));
    }
    c[1] = committed();
    for (int i = 0; i < N; i++) {
        stack_trim(&s[i], NULL);
        CHECK_MSG(resident_pages(s[i].lo, s[i].hi) == 0, "the trim left %d pages of a stack resident",
                  resident_pages(s[i].lo, s[i].hi));
    }
    c[2] = committed();
    for (int i = 0; i < N; i++)
        stack_free(&s[i]);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = stack_round_size(40 * page);
    CHECK_EQ_INT(size, 40 * page);
    int64_t c[3];
    /* once to bring this goroutine's own stack to the depth the calls
     * reach (its pages are counted too), then measured */
    probe_and_trim(size, c);
    probe_and_trim(size, c);
    int64_t pg = (int64_t)page;
    CHECK_MSG(c[1] == c[0], "%d probes (zero page mappings) changed stack_committed_bytes by %+lld pages",
              N, (long long)((c[1] - c[0]) / pg));
    CHECK_MSG(c[2] == c[0], "probing and trimming %d untouched stacks changed stack_committed_bytes "
              "by %+lld pages (%lld -> %lld)", N, (long long)((c[2] - c[0]) / pg), (long long)c[0],
              (long long)c[2]);
    return 0;
}

GORT_MAIN(main_fn)
