// A goroutine interrupted by asynchronous preemption resumes on the OS
// thread it was interrupted on, and that thread ran no other goroutine
// meanwhile: compiled code may keep the address of a thread-local variable
// (or anything derived from the thread) in a register across any
// instruction, and it must stay right.  Four goroutines, twice as many as
// processors (GOMAXPROCS=2), each take `int *p = &tls` and their thread id,
// store their own number in tls, then loop for 1.5 s without any gort call;
// every few thousand iterations they compare p with &tls computed afresh
// (a noinline function), tls with their number, and gettid() with the id
// taken at the start.  Preempted goroutines go to the global run queue,
// where another thread would pick them up if they were not wired to their
// own.  Every goroutine must have started within 500 ms, been resumed after
// a pause (a gap of 2 ms or more between two checks) at least 10 times and
// seen no mismatch.  Without asynchronous preemption two of the four never
// start before the others finish.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=30
#include "pre.h"

#define NG 4
#define RUN_MS 1500
#define MIN_RESUMES 10

static __thread int tls;

static CHECK_NOINLINE int *tls_addr(void)
{
    int *p = &tls;
    __asm__ __volatile__("" : "+r"(p));   /* computed here, every call */
    return p;
}

static int64_t start_at, end_at;
static gort_waitgroup wg;
static int64_t started_after[NG];
static long resumes[NG], checks[NG];

static void looper(void *arg)
{
    int me = (int)(intptr_t)arg;
    started_after[me] = now_ns() - start_at;
    int *p = tls_addr();
    long tid = gettid_();
    *p = 1000 + me;
    volatile uint64_t work = 0;
    int64_t last = now_ns();
    for (;;) {
        for (int k = 0; k < 4000; k++) work = work * 6364136223846793005ull + 1442695040888963407ull;
        int *q = tls_addr();
        CHECK_MSG(q == p, "goroutine %d: &tls is %p now, was %p when the loop started (after %ld resumes)", me,
                  (void *)q, (void *)p, resumes[me]);
        CHECK_MSG(*q == 1000 + me, "goroutine %d: its thread's tls holds %d: another goroutine ran on its thread",
                  me, *q);
        long t = gettid_();
        CHECK_MSG(t == tid, "goroutine %d: on thread %ld now, was on %ld (after %ld resumes)", me, t, tid, resumes[me]);
        checks[me]++;
        int64_t now = now_ns();
        if (now - last >= MS(2)) resumes[me]++;
        last = now;
        if (now >= end_at) break;
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 2);
    start_at = now_ns();
    end_at = start_at + MS(RUN_MS);
    gort_wg_add(&wg, NG);
    for (intptr_t i = 0; i < NG; i++) go(looper, (void *)i);
    gort_wg_wait(&wg);
    for (int i = 0; i < NG; i++) {
        NOTE("goroutine %d: started after %.1f ms, %ld checks, %ld resumes\n", i, (double)started_after[i] / 1e6,
             checks[i], resumes[i]);
    }
    for (int i = 0; i < NG; i++) {
        CHECK_MSG(started_after[i] < MS(500), "goroutine %d started only after %lld ms", i,
                  (long long)(started_after[i] / 1000000));
        CHECK_MSG(resumes[i] >= MIN_RESUMES, "goroutine %d was resumed only %ld times (want >= %d)", i, resumes[i],
                  MIN_RESUMES);
    }
    return 0;
}

GORT_MAIN(main_fn)
