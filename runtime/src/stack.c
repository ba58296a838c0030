/*
 * stack.c — goroutine stacks: arenas, guards, caches, and giving memory back.
 *
 * Stacks are carved from large reservations ("arenas", 1 GiB of address
 * space each, MAP_NORESERVE, never backed by transparent huge pages), never
 * one mmap per goroutine: Linux allows a process 65530 mappings.  A slot is
 * one guard page followed by the stack; only pages a goroutine touches cost
 * memory.
 *
 * Guards, best first (gort_stats says which were used):
 *   kernel    MADV_GUARD_INSTALL (Linux 6.13+): a guard that does not split
 *             the mapping, so the arena stays one line in /proc/self/maps;
 *   mprotect  a PROT_NONE page, which splits the mapping; used only within a
 *             budget derived from vm.max_map_count;
 *   canary    no guard page: a canary word at the bottom of the stack,
 *             checked whenever the goroutine parks or ends.
 * Sub-page stacks (opts.stack_size < page) are packed from slabs and always
 * use canaries; the slab itself has a guard below it.
 *
 * Free slots are kept per size under st.lock; this is the slow path,
 * because a G keeps its default-size stack while it sits in a G cache
 * (sched.c).  A freed slot stays committed on a "dirty" list and is reused
 * first, so a program that spawns in waves (skynet, a server under bursts)
 * does not fault its stacks in again each wave.  DIRTY_KEEP slots are kept
 * for ever; beyond that the list grows only while it is being drawn from:
 * once it has not been reused for SCAVENGE_AFTER_NS, the excess (the oldest
 * slots) is given back (MADV_DONTNEED) in one sorted, coalesced pass, the
 * next time a stack is freed.  Go keeps freed stacks until a GC and its
 * scavenger return them likewise.  The deep part of a stack is given back
 * before it is cached at all (stack_trim), so a dirty slot holds at most
 * TRIM_WATERMARK.
 * Invariant: every stack handed out has lo/hi/size set, and for canary
 * stacks the canary word at lo is intact until the stack overflows.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef GORT_HAVE_VALGRIND
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
/* Valgrind must know every stack, or a switch looks like a wild sp move. */
#define vg_register(s) ((s)->vg_id = VALGRIND_STACK_REGISTER((s)->lo, (s)->hi))
#define vg_deregister(s) VALGRIND_STACK_DEREGISTER((s)->vg_id)
/* A guard page faults, which Valgrind cannot know of a kernel guard: its
 * leak scan would fault on every word of every guard page. */
#define vg_noaccess(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
/* stack_went_deep reads a dead goroutine's stack on purpose. */
#define vg_defined(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#define vg_undefined(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#else
#define vg_register(s) ((void)(s))
#define vg_deregister(s) ((void)(s))
#define vg_noaccess(p, n) ((void)(p), (void)(n))
#define vg_defined(p, n) ((void)(p), (void)(n))
#define vg_undefined(p, n) ((void)(p), (void)(n))
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif


#define ARENA_BYTES      ((size_t)1 << 30)
#define MAX_STACK_BYTES  ((size_t)1 << 30)
#define PACKED_MIN       1024
#define SLAB_BYTES       ((size_t)64 << 10)
#define STACK_CANARY     0x9e3779b97f4a7c15ull
#define TRIM_WATERMARK   ((size_t)16 << 10)
/* Freed arena stacks stay committed ("dirty") and are reused first: this
 * many per size always, more while they are being reused (see the top).
 * Giving back is one sorted pass that coalesces neighbouring slots, so a
 * burst of exits costs a few madvise calls (each one a TLB shootdown on
 * every CPU running the process), not one per stack. */
#define DIRTY_KEEP        4096
/* A free slot is its page-aligned address with these in the low bits. */
#define SLOT_GUARD_BITS   ((uintptr_t)3)
#define SLOT_PROBE_MAPPED ((uintptr_t)4)   /* dirty: stack_went_deep mapped its probe page */
#define SCAVENGE_AFTER_NS ((int64_t)1000000000)
/* The clock is read once per this many frees/reuses beyond DIRTY_KEEP. */
#define SCAVENGE_CHECK_EVERY 256

typedef struct free_slot { struct free_slot *next; } free_slot;

/* Free stacks of one size.  Packed pieces are listed through their own
 * memory (slab pages are never given back); arena slots are listed out of
 * band, so that a free slot holds no memory at all.  The low bits of a
 * slot's address (page-aligned) keep its guard kind. */
typedef struct size_pool {
    size_t            size;
    bool              packed;
    free_slot        *free;     /* packed pieces */
    uintptr_t        *slots;    /* arena slots holding no memory: lo | guard kind */
    size_t            nslots, cap;
    uintptr_t        *dirty;    /* freed arena slots not yet given back (LIFO: oldest first) */
    size_t            ndirty, dirty_cap;
    size_t            low_water;     /* the least ndirty since window_start */
    int64_t           window_start;  /* coarse time; 0: no window open */
    unsigned          puts;          /* frees above DIRTY_KEEP, for reading the clock */
    struct size_pool *next;
} size_pool;

typedef struct arena {
    char         *base, *cur, *end;
    struct arena *next;
} arena;

static struct {
    rt_lock    lock;
    size_t     page;
    bool       kernel_guards;
    int64_t    mprotect_budget;
    arena     *arenas;         /* newest first; carving happens in the first */
    size_pool *pools;
    int64_t    reserved;       /* bytes of address space reserved */
    int64_t    guards[3];      /* stacks carved with each guard kind */
    int64_t    zero_probes;    /* stacks whose deep-use probe maps the zero page */
    int64_t    next_scavenge;  /* coarse time before which stack_scavenge does nothing */
} st = { .lock = RT_LOCK_INIT(STACK) };

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

size_t stack_default_size(void) { return gort__config.stack_size; }

static long read_max_map_count(void)
{
    long v = 65530;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f) {
        if (fscanf(f, "%ld", &v) != 1)
            v = 65530;
        fclose(f);
    }
    return v;
}

/* Some environments (qemu-user) accept MADV_GUARD_INSTALL and install
 * nothing: check that the kernel now refuses to read the page. */
static bool guard_works(char *p)
{
    int fd[2];
    if (pipe(fd) != 0)
        return false;
    bool ok = write(fd[1], p, 1) < 0 && errno == EFAULT;
    close(fd[0]);
    close(fd[1]);
    return ok;
}

/* The runtime is compiled with -fno-plt, so its calls into libc are bound
 * when the program starts, not on first use on whatever (packed) goroutine
 * stack makes them (the loader's resolver saves the vector registers on
 * the caller's stack).  clang 14 still emits the memcpy, memmove and
 * memset calls it generates itself (struct copies, zeroing, and the
 * explicit ones it lowers the same way) through the PLT: this makes their
 * first, lazily bound calls here, on the initialising thread's stack,
 * before any goroutine runs.  scripts/check_no_plt.sh allows those three
 * only while this function is in the archive. */
static NOINLINE void bind_compiler_libcalls(void)
{
    static char a[64], b[64];
    volatile size_t n = sizeof a;   /* not a constant: a real call */
    memcpy(a, b, n);
    memmove(a, b, n);
    memset(a, 0, n);
}

void stack_init(void)
{
    bind_compiler_libcalls();
    st.page = (size_t)sysconf(_SC_PAGESIZE);
    /* Probe MADV_GUARD_INSTALL on a scratch mapping. */
    char *p = mmap(NULL, 2 * st.page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED) {
        st.kernel_guards = madvise(p, st.page, MADV_GUARD_INSTALL) == 0 && guard_works(p);
        munmap(p, 2 * st.page);
    }
    /* Each mprotect guard can add two mappings; leave half the limit to
     * the program. */
    st.mprotect_budget = read_max_map_count() / 4;
}

/* Rounds a requested size the way stack_alloc will. */
size_t stack_round_size(size_t want)
{
    if (want == 0)
        want = stack_default_size();
    if (want < st.page) {
        size_t c = PACKED_MIN;
        while (c < want)
            c <<= 1;
        return c;
    }
    return round_up(want, st.page);
}

static size_pool *pool_for(size_t size, bool packed)
{
    for (size_pool *sp = st.pools; sp; sp = sp->next)
        if (sp->size == size && sp->packed == packed)
            return sp;
    size_pool *sp = calloc(1, sizeof *sp);
    if (!sp)
        return NULL;
    sp->size = size;
    sp->packed = packed;
    sp->next = st.pools;
    st.pools = sp;
    return sp;
}

static arena *arena_new(size_t bytes)
{
    arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    char *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        free(a);
        return NULL;
    }
    /* A 4 KiB touch must not become a 2 MiB one where THP is "always". */
    madvise(base, bytes, MADV_NOHUGEPAGE);
    a->base = a->cur = base;
    a->end = base + bytes;
    st.reserved += (int64_t)bytes;
    return a;
}

/* Puts a guard on the page at g.  Returns the kind used. */
static int guard_install(char *g)
{
    if (st.kernel_guards && madvise(g, st.page, MADV_GUARD_INSTALL) == 0) {
        vg_noaccess(g, st.page);
        return GUARD_KERNEL;
    }
    if (st.mprotect_budget > 0 && mprotect(g, st.page, PROT_NONE) == 0) {
        st.mprotect_budget--;
        vg_noaccess(g, st.page);
        return GUARD_MPROTECT;
    }
    return GUARD_CANARY;
}

/* Carves one guard+stack slot of `bytes` (stack part) from the arenas.
 * Called with st.lock held. */
static char *carve(size_t bytes, int *guard)
{
    size_t slot = bytes + st.page;
    arena *a = st.arenas;
    if (!a || (size_t)(a->end - a->cur) < slot) {
        a = arena_new(ARENA_BYTES);
        if (!a)
            return NULL;
        a->next = st.arenas;
        st.arenas = a;
    }
    char *g = a->cur;
    a->cur += slot;
    *guard = guard_install(g);
    st.guards[*guard]++;
    return g + st.page;
}

static void set_canary(stack *s)
{
    *(uint64_t *)s->lo = STACK_CANARY;
}

bool stack_canary_intact(const stack *s)
{
    return *(const uint64_t *)s->lo == STACK_CANARY;
}

static bool alloc_packed(stack *s, size_t size)
{
    size_pool *pool = pool_for(size, true);
    if (!pool)
        return false;
    if (!pool->free) {
        /* A new slab: a guarded 64 KiB slot cut into pieces. */
        int guard;
        char *slab = carve(SLAB_BYTES, &guard);
        if (!slab)
            return false;
        st.guards[guard]--;   /* counted per stack below instead */
        for (size_t off = SLAB_BYTES; off >= size; off -= size) {
            free_slot *fs = (free_slot *)(slab + off - size);
            fs->next = pool->free;
            pool->free = fs;
        }
    }
    free_slot *fs = pool->free;
    pool->free = fs->next;
    s->lo = (char *)fs;
    s->hi = s->lo + size;
    s->size = size;
    s->kind = STACK_KIND_PACKED;
    s->guard = GUARD_CANARY;
    st.guards[GUARD_CANARY]++;
    set_canary(s);
    return true;
}

static bool alloc_dedicated(stack *s, size_t size)
{
    char *base = mmap(NULL, size + st.page, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return false;
    madvise(base, size + st.page, MADV_NOHUGEPAGE);
    st.reserved += (int64_t)(size + st.page);
    s->lo = base + st.page;
    s->hi = s->lo + size;
    s->size = size;
    s->kind = STACK_KIND_DEDICATED;
    s->guard = (uint8_t)guard_install(base);
    st.guards[s->guard]++;
    if (s->guard == GUARD_CANARY)
        set_canary(s);
    return true;
}

/* Files a slot that holds no memory.  Called with st.lock held. */
static void add_clean(size_pool *pool, uintptr_t slot)
{
    if (!pool)
        return;   /* out of memory for bookkeeping: the slot's address space is lost */
    if (pool->nslots == pool->cap) {
        size_t cap = pool->cap ? pool->cap * 2 : 64;
        uintptr_t *n = realloc(pool->slots, cap * sizeof *n);
        if (!n)
            return;
        pool->slots = n;
        pool->cap = cap;
    }
    pool->slots[pool->nslots++] = slot;
}

static int cmp_uintptr(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

/* Gives back the memory of the `n` oldest dirty slots.  Called with
 * st.lock held. */
static void flush_dirty(size_pool *pool, size_t n)
{
    uintptr_t mask = ~(uintptr_t)(st.page - 1);
    size_t stride = pool->size + st.page;   /* neighbouring slots: guard + stack apart */
    qsort(pool->dirty, n, sizeof *pool->dirty, cmp_uintptr);
    size_t i = 0;
    while (i < n) {
        char *run_lo = (char *)(pool->dirty[i] & mask);
        size_t j = i + 1;
        while (j < n && (pool->dirty[j] & mask) == (pool->dirty[j - 1] & mask) + stride)
            j++;
        /* guards inside the run are kept by the kernel (MADV_GUARD_INSTALL
         * markers survive MADV_DONTNEED; PROT_NONE pages hold nothing) */
        madvise(run_lo, (j - i - 1) * stride + pool->size, MADV_DONTNEED);
        for (size_t k = i; k < j; k++) {
            if (pool->dirty[k] & SLOT_PROBE_MAPPED)
                xadd(&st.zero_probes, -1);
            add_clean(pool, pool->dirty[k] & ~(uintptr_t)SLOT_PROBE_MAPPED);
        }
        i = j;
    }
    memmove(pool->dirty, pool->dirty + n, (pool->ndirty - n) * sizeof *pool->dirty);
    pool->ndirty -= n;
}

/* A slot was taken from the dirty list.  st.lock held. */
static void note_dirty_reuse(size_pool *pool)
{
    if (pool->ndirty < pool->low_water)
        pool->low_water = pool->ndirty;
}

/* Files a freed slot on the dirty list (false when the list cannot grow:
 * the caller gives the slot back itself).  Above DIRTY_KEEP, once per
 * SCAVENGE_AFTER_NS window, the slots that lay unused through the whole
 * window (the list's low-water mark; being LIFO, those are its oldest) are
 * given back, down to DIRTY_KEEP.  st.lock held. */
static void scavenge_pool(size_pool *pool, int64_t now)
{
    if (pool->window_start && now - pool->window_start >= SCAVENGE_AFTER_NS &&
        pool->low_water > DIRTY_KEEP)
        flush_dirty(pool, pool->low_water - DIRTY_KEEP);
    if (!pool->window_start || now - pool->window_start >= SCAVENGE_AFTER_NS) {
        pool->window_start = now;
        pool->low_water = pool->ndirty;
    }
}

static bool put_dirty(size_pool *pool, uintptr_t slot)
{
    if (pool->ndirty >= DIRTY_KEEP && ++pool->puts % SCAVENGE_CHECK_EVERY == 0)
        scavenge_pool(pool, coarse_now());
    if (pool->ndirty == pool->dirty_cap) {
        size_t cap = pool->dirty_cap ? pool->dirty_cap * 2 : DIRTY_KEEP;
        uintptr_t *d = realloc(pool->dirty, cap * sizeof *d);
        if (!d)
            return false;
        pool->dirty = d;
        pool->dirty_cap = cap;
    }
    pool->dirty[pool->ndirty++] = slot;
    return true;
}

/* The same window check for every pool, for a program that stops freeing
 * stacks (nothing else would run it).  Called by an M about to go idle;
 * one clock read when not due. */
void stack_scavenge(void)
{
    int64_t now = coarse_now();
    if (now < ld_rlx(&st.next_scavenge))
        return;
    st_rlx(&st.next_scavenge, now + SCAVENGE_AFTER_NS / 4);
    rt_lock_acquire(&st.lock);
    for (size_pool *pool = st.pools; pool; pool = pool->next)
        if (pool->ndirty > DIRTY_KEEP || pool->window_start)
            scavenge_pool(pool, now);
    rt_lock_release(&st.lock);
}

static bool stack_alloc_unregistered(stack *s, size_t want);

bool stack_alloc(stack *s, size_t want)
{
    if (!stack_alloc_unregistered(s, want))
        return false;
    vg_register(s);
    return true;
}

static bool stack_alloc_unregistered(stack *s, size_t want)
{
    size_t size = stack_round_size(want);
    if (size > MAX_STACK_BYTES)
        return false;
    bool ok;
    rt_lock_acquire(&st.lock);
    if (size < st.page) {
        ok = alloc_packed(s, size);
    } else if (size + st.page > ARENA_BYTES / 4) {
        ok = alloc_dedicated(s, size);
    } else {
        size_pool *pool = pool_for(size, false);
        ok = pool != NULL;
        if (ok && (pool->ndirty || pool->nslots)) {
            uintptr_t v;
            if (pool->ndirty) {
                v = pool->dirty[--pool->ndirty];
                note_dirty_reuse(pool);
            } else {
                v = pool->slots[--pool->nslots];
            }
            s->lo = (char *)(v & ~(uintptr_t)(st.page - 1));
            s->guard = (uint8_t)(v & SLOT_GUARD_BITS);
            s->probe_mapped = (v & SLOT_PROBE_MAPPED) != 0;
        } else if (ok) {
            int guard;
            s->lo = carve(size, &guard);
            s->guard = (uint8_t)guard;
            ok = s->lo != NULL;
        }
        if (ok) {
            s->hi = s->lo + size;
            s->size = size;
            s->kind = STACK_KIND_ARENA;
        }
        if (ok && s->guard == GUARD_CANARY)
            set_canary(s);
    }
    rt_lock_release(&st.lock);
    return ok;
}

/* Did this stack go below the watermark since it was last trimmed?  The
 * page just below the watermark is all zeros unless a frame used it, and a
 * frame that crossed the watermark left its return address or saved
 * registers there.  Reading it costs no system call: if no frame ever used
 * it, the read maps the kernel's shared zero page (once; no memory is
 * committed, but mincore counts such a page as resident, so stack_stats
 * subtracts them).  Callers use this off the common path (stacks moving to
 * the global cache), so a goroutine's exit does not pay for it. */
bool stack_went_deep(stack *s)
{
    if (s->kind == STACK_KIND_PACKED || s->size <= TRIM_WATERMARK + st.page)
        return false;
    const uint64_t *w = (const uint64_t *)(s->hi - TRIM_WATERMARK - st.page);
    size_t n = st.page / sizeof *w;
    vg_defined(w, st.page);
    for (size_t i = 0; i < n; i += 8) {
        uint64_t any = w[i] | w[i + 1] | w[i + 2] | w[i + 3] | w[i + 4] | w[i + 5] | w[i + 6] | w[i + 7];
        if (any)
            return true;
    }
    if (!s->probe_mapped) {
        s->probe_mapped = 1;
        xadd(&st.zero_probes, 1);
    }
    return false;
}

static void probe_unmapped(stack *s)
{
    if (s->probe_mapped) {
        s->probe_mapped = 0;
        xadd(&st.zero_probes, -1);
    }
}

void stack_free(stack *s)
{
    if (!s->lo)
        return;
    vg_deregister(s);
    if (s->kind != STACK_KIND_ARENA)
        probe_unmapped(s);
    if (s->kind == STACK_KIND_DEDICATED) {
        rt_lock_acquire(&st.lock);
        st.reserved -= (int64_t)(s->size + st.page);
        st.guards[s->guard]--;
        rt_lock_release(&st.lock);
        munmap(s->lo - st.page, s->size + st.page);
    } else if (s->kind == STACK_KIND_PACKED) {
        rt_lock_acquire(&st.lock);
        size_pool *pool = pool_for(s->size, true);
        free_slot *fs = (free_slot *)s->lo;
        fs->next = pool->free;
        pool->free = fs;
        st.guards[GUARD_CANARY]--;
        rt_lock_release(&st.lock);
    } else {
        rt_lock_acquire(&st.lock);
        size_pool *pool = pool_for(s->size, false);
        /* a dirty slot keeps its zero-page probe (counted until given back) */
        uintptr_t slot = (uintptr_t)s->lo | s->guard | (s->probe_mapped ? SLOT_PROBE_MAPPED : 0);
        if (!pool || !put_dirty(pool, slot)) {
            madvise(s->lo, s->size, MADV_DONTNEED);
            probe_unmapped(s);
            add_clean(pool, (uintptr_t)s->lo | s->guard);
        }
        rt_lock_release(&st.lock);
    }
    memset(s, 0, sizeof *s);
}

/* A stack that went deep gives back the pages below the watermark. */
void stack_trim(stack *s, char *low_seen)
{
    if (s->kind == STACK_KIND_PACKED || s->size <= TRIM_WATERMARK)
        return;
    char *keep_from = s->hi - TRIM_WATERMARK;
    if (low_seen && low_seen >= keep_from)
        return;
    madvise(s->lo, (size_t)(keep_from - s->lo), MADV_DONTNEED);
    probe_unmapped(s);
    if (s->guard == GUARD_CANARY)
        set_canary(s);
}

/* systemstack (sched.c) is about to run below g0's saved stack pointer:
 * Valgrind takes memory below a stack pointer for unaddressable, and a
 * jump of the stack pointer there for a switch to a stack it need not
 * track, so it is told. */
void stack_scheduler_stack_usable(char *lo, char *hi)
{
    if (hi > lo)
        vg_undefined(lo, (size_t)(hi - lo));
}

bool stack_guard_hit(const G *g, const void *addr)
{
    if (!g || !g->stk.lo)
        return false;
    const char *a = addr;
    /* The guard page, and a little beyond for frames that skip over it; a
     * packed stack's nearest guard is the one below its slab. */
    return a < g->stk.lo && a >= g->stk.lo - st.page - SLAB_BYTES;
}

/* Committed bytes are counted with mincore over every arena: exact, and
 * cheap enough for a statistics call.  Some environments (qemu-user) refuse
 * mincore over a range that contains PROT_NONE guard pages; the count then
 * goes page by page and skips what it cannot see. */
static int64_t resident_pages(char *base, size_t pages, unsigned char *vec)
{
    if (mincore(base, pages * st.page, vec) == 0) {
        int64_t n = 0;
        for (size_t i = 0; i < pages; i++)
            n += vec[i] & 1;
        return n;
    }
    if (pages == 1)
        return 0;
    size_t half = pages / 2;
    return resident_pages(base, half, vec) + resident_pages(base + half * st.page, pages - half, vec);
}

static int64_t resident_bytes(char *base, size_t len)
{
    static unsigned char vec[1 << 16];
    size_t pages = len / st.page;
    int64_t n = 0;
    for (size_t done = 0; done < pages;) {
        size_t chunk = pages - done < sizeof vec ? pages - done : sizeof vec;
        n += resident_pages(base + done * st.page, chunk, vec);
        done += chunk;
    }
    return n * (int64_t)st.page;
}

void stack_stats(int64_t *reserved, int64_t *committed, int64_t guards[3])
{
    rt_lock_acquire(&st.lock);
    *reserved = st.reserved;
    int64_t c = 0;
    for (arena *a = st.arenas; a; a = a->next)
        c += resident_bytes(a->base, (size_t)(a->cur - a->base));
    c -= ld_rlx(&st.zero_probes) * (int64_t)st.page;
    *committed = c > 0 ? c : 0;
    for (int i = 0; i < 3; i++)
        guards[i] = st.guards[i];
    rt_lock_release(&st.lock);
}

/* ---- test interface (conformance/internal) ---- */

/* The free arena slots of stacks of `size` bytes (a size stack_round_size
 * returns, at least a page): *dirty still committed (reused first), *clean
 * given back; *keep is DIRTY_KEEP.  For the white-box tests
 * (conformance/internal/export_test.c); the runtime never calls these. */
void stack_test_pool(size_t size, size_t *dirty, size_t *clean, size_t *keep)
{
    *dirty = *clean = 0;
    *keep = DIRTY_KEEP;
    rt_lock_acquire(&st.lock);
    for (size_pool *pool = st.pools; pool; pool = pool->next) {
        if (pool->size == size && !pool->packed) {
            *dirty = pool->ndirty;
            *clean = pool->nslots;
        }
    }
    rt_lock_release(&st.lock);
}

/* What stack_scavenge does, as if the clock read `now` and without its rate
 * limit: a test closes a quiet window without waiting SCAVENGE_AFTER_NS. */
void stack_test_scavenge_at(int64_t now)
{
    rt_lock_acquire(&st.lock);
    for (size_pool *pool = st.pools; pool; pool = pool->next)
        if (pool->ndirty > DIRTY_KEEP || pool->window_start)
            scavenge_pool(pool, now);
    rt_lock_release(&st.lock);
}
