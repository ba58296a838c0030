/*
 * lock.c — the runtime's own low-level blocking: futexes, locks, notes.
 *
 * rt_lock is Go's lock_futex: key 0 unlocked, 1 locked, 2 locked with
 * sleepers.  It spins a little before sleeping, because runtime critical
 * sections are a few dozen instructions and a futex sleep/wake pair costs
 * microseconds (tens of them across CPUs on these machines).
 * rt_note is a one-shot event for exactly one sleeper (an M parking).
 * These block OS threads: only the scheduler and the plain-thread paths use
 * them, never a goroutine waiting for another goroutine.
 */
#include "internal.h"
#include "sanitize.h"

#include <errno.h>
#include <sched.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* ThreadSanitizer delivers an asynchronous signal (SIGQUIT's dump) only
 * when the thread that got it next passes through one of its interceptors;
 * a thread asleep in a raw futex would hold it for ever.  So in a race
 * build an untimed sleep wakes every 50 ms and passes through one (usleep);
 * every caller re-checks its condition, as after any spurious wake-up. */
static int futex_wait_race(uint32_t *addr, uint32_t val)
{
    struct timespec rel = { 0, 50 * 1000 * 1000 };
    syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, &rel, NULL, 0);
    usleep(0);
    return 0;
}

int futex_wait(uint32_t *addr, uint32_t val, const struct timespec *abs_monotonic)
{
    long r;
    if (abs_monotonic)
        r = syscall(SYS_futex, addr, FUTEX_WAIT_BITSET_PRIVATE, val, abs_monotonic, NULL,
                    FUTEX_BITSET_MATCH_ANY);
    else if (RACE_ENABLED)
        return futex_wait_race(addr, val);
    else
        r = syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
    return r < 0 ? errno : 0;
}

void futex_wake(uint32_t *addr, int n)
{
    syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

enum { LOCK_UNLOCKED = 0, LOCK_LOCKED = 1, LOCK_SLEEPING = 2 };
/* A contended lock's spin (lock_slow): the word is polled with gaps of 4,
 * 8, 16, then 32 PAUSEs, 160 PAUSEs in all (about 4 us where a PAUSE takes
 * 25 ns, as on this project's AMD machine), then the thread yields once,
 * then it sleeps on the futex. */
enum { LOCK_SPIN_PAUSES = 160, LOCK_SPIN_FIRST_GAP = 4, LOCK_SPIN_MAX_GAP = 32 };

/* Runtime locks this thread holds (Go's m.locks).  A lock is released on
 * the thread that took it (a park's commit runs on the same M, after the
 * switch), so a per-thread count is exact; it is read here and in the
 * preemption signal's handler, on the same thread, never across a switch. */
static __thread uint32_t locks;

uint32_t locks_held(void)
{
    return locks;
}

/* ---- lock ranks (lockrank.h), checked in Debug builds ------------------ */

#if defined(GORT_LOCKRANK)
const bool lockrank_enabled = true;

static const char *const rank_names[LOCK_RANK__COUNT] = {
    [LOCK_RANK_NONE] = "(no rank)",
#define RANK_NAME_(name, multi, what) [LOCK_RANK_##name] = #name,
    GORT_LOCK_RANKS(RANK_NAME_)
#undef RANK_NAME_
};
static const bool rank_multi[LOCK_RANK__COUNT] = {
#define RANK_MULTI_(name, multi, what) [LOCK_RANK_##name] = multi,
    GORT_LOCK_RANKS(RANK_MULTI_)
#undef RANK_MULTI_
};

#define HELD_MAX 16
static __thread rt_lock *held[HELD_MAX];
static __thread int nheld;

/* Before l is taken: every lock held must rank below it (or, for a MULTI
 * rank, be of its rank at a lower address). */
static void rank_check_acquire(rt_lock *l)
{
    int r = l->rank;
    if (ld_rlx(&sched.frozen_by) != NULL)
        return;   /* a fatal report is under way: let it finish */
    if (r <= LOCK_RANK_NONE || r >= LOCK_RANK__COUNT)
        fatal("runtime lock %p taken without a rank (lockrank.h: rt_lock_init)", (void *)l);
    for (int i = 0; i < nheld; i++) {
        int h = held[i]->rank;
        if (h < r || (h == r && rank_multi[r] && held[i] < l))
            continue;
        fatal("lock ordering problem: taking %s (rank %d, %p) while holding %s (rank %d, %p)",
              rank_names[r], r, (void *)l, rank_names[h], h, (void *)held[i]);
    }
    if (nheld == HELD_MAX)
        fatal("runtime: more than %d runtime locks held at once", HELD_MAX);
    held[nheld++] = l;
}

static void rank_check_release(rt_lock *l)
{
    for (int i = nheld - 1; i >= 0; i--) {
        if (held[i] == l) {
            held[i] = held[--nheld];
            return;
        }
    }
    if (ld_rlx(&sched.frozen_by) != NULL)
        return;   /* taken during a fatal report, unchecked */
    fatal("runtime: releasing %s lock %p that this thread does not hold",
          rank_names[l->rank < LOCK_RANK__COUNT ? l->rank : 0], (void *)l);
}
#else
const bool lockrank_enabled = false;

static inline void rank_check_acquire(rt_lock *l) { (void)l; }
static inline void rank_check_release(rt_lock *l) { (void)l; }
#endif

/* Contended: spin, yield once, then sleep on the futex, as Go's
 * lock_futex does (4 rounds of 30 PAUSEs, one osyield).  The gaps between
 * polls grow: polling after every PAUSE kept pulling the cache line away
 * from the holder, whose critical section then ran slower (a channel's
 * indices share the line with its lock): chan_throughput with two or four
 * producer-consumer pairs at GOMAXPROCS 2 took 68-78 ns an item that way,
 * 24-25 ns with gaps (A/B in one session: results/lock_spin.md).  The first gaps are
 * short so that a lock held for a moment (sched.lock) is still taken
 * promptly: a fixed gap of 30 PAUSEs made spawn at GOMAXPROCS 2 12% slower.
 * Out of line, so that the uncontended path saves no registers. */
static NOINLINE void lock_slow(rt_lock *l, uint32_t v)
{
    /* v is LOCKED or SLEEPING; whatever we write back must not lose
     * the fact that there may be sleepers. */
    uint32_t wait = v;
    for (;;) {
        int gap = LOCK_SPIN_FIRST_GAP;
        for (int spent = 0; spent < LOCK_SPIN_PAUSES; spent += gap) {
            while (ld_rlx(&l->key) == LOCK_UNLOCKED)
                if (cas(&l->key, LOCK_UNLOCKED, wait))
                    return;
            for (int k = 0; k < gap; k++)
                cpu_relax();
            if (gap < LOCK_SPIN_MAX_GAP)
                gap *= 2;
        }
        sched_yield();
        if (ld_rlx(&l->key) == LOCK_UNLOCKED && cas(&l->key, LOCK_UNLOCKED, wait))
            return;
        v = xchg(&l->key, LOCK_SLEEPING);
        if (v == LOCK_UNLOCKED)
            return;
        wait = LOCK_SLEEPING;
        futex_wait(&l->key, LOCK_SLEEPING, NULL);
    }
}

void rt_lock_acquire(rt_lock *l)
{
    rank_check_acquire(l);
    locks++;   /* first: a preemption signal must not stop a half-taken lock */
    uint32_t v = xchg(&l->key, LOCK_LOCKED);
    if (unlikely(v != LOCK_UNLOCKED))
        lock_slow(l, v);
}

void rt_lock_release(rt_lock *l)
{
    uint32_t v = xchg(&l->key, LOCK_UNLOCKED);
    if (unlikely(v == LOCK_UNLOCKED))
        fatal("unlock of unlocked runtime lock");
    if (v == LOCK_SLEEPING)
        futex_wake(&l->key, 1);
    rank_check_release(l);
    locks--;
}

void wait_flag(uint32_t *flag)
{
    while (ld_acq(flag) == 0)
        futex_wait(flag, 0, NULL);
}

void set_flag(uint32_t *flag)
{
    st_rel(flag, 1);
    futex_wake(flag, 1);
}

void note_wakeup(rt_note *n)
{
    uint32_t old = xchg(&n->key, 1);
    if (old != 0)
        fatal("notewakeup - double wakeup (%u)", old);
    futex_wake(&n->key, 1);
}

void note_sleep(rt_note *n)
{
    while (ld_acq(&n->key) == 0)
        futex_wait(&n->key, 0, NULL);
}

bool note_sleep_until(rt_note *n, int64_t deadline_ns)
{
    struct timespec ts = { deadline_ns / 1000000000, deadline_ns % 1000000000 };
    while (ld_acq(&n->key) == 0) {
        if (futex_wait(&n->key, 0, &ts) == ETIMEDOUT)
            return ld_acq(&n->key) != 0;
    }
    return true;
}
