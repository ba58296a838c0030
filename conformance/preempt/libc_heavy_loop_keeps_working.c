// Goroutines that spend most of their time inside libc (memcpy of 64 KiB,
// malloc/free of varied sizes, snprintf) are never interrupted there — the
// runtime only interrupts the program's own code — but the loop's own code
// between the calls is, so they do not starve the others: with GOMAXPROCS=1,
// two such loops running for 1 s next to a goroutine reading a 1 ms ticker,
// the reader gets at least 10 ticks, the copies and the formatted strings are
// right every time, and the program ends normally (no deadlock on a libc
// lock, no crash).  Without asynchronous preemption the reader gets no tick
// until the loops end.
// gort-test: env=GOMAXPROCS=1
// gort-test: timeout=30
#include "pre.h"

#define RUN_MS 1000
#define MIN_TICKS 10
#define BUF (64 << 10)

static int64_t end_at;
static gort_waitgroup wg;
static _Atomic long iterations[2];
static int ticks;

static void libc_loop(void *arg)
{
    int me = (int)(intptr_t)arg;
    unsigned char *src = malloc(BUF), *dst = malloc(BUF);
    CHECK(src && dst);
    for (int i = 0; i < BUF; i++) src[i] = (unsigned char)(i * 7 + me);
    uint64_t rnd = (uint64_t)me + 1;
    long n = 0;
    char text[128], want[128];
    while (now_ns() < end_at) {
        src[n % BUF] = (unsigned char)n;
        memcpy(dst, src, BUF);
        /* the program's own code between the calls: check a few bytes */
        for (int k = 0; k < 64; k++) {
            size_t at = (size_t)(rand_next(&rnd) % BUF);
            CHECK_MSG(dst[at] == src[at], "memcpy copied byte %zu wrong in iteration %ld", at, n);
        }
        size_t sz = 16 + (size_t)(rand_next(&rnd) % 8192);
        unsigned char *p = malloc(sz);
        CHECK(p != NULL);
        p[0] = (unsigned char)n;
        p[sz - 1] = (unsigned char)~n;
        CHECK(p[0] == (unsigned char)n && p[sz - 1] == (unsigned char)~n);
        free(p);
        int len = snprintf(text, sizeof text, "goroutine %d iteration %ld size %zu %.3f", me, n, sz, (double)n / 8);
        CHECK(len > 0 && (size_t)len < sizeof text);
        /* the same text, built by hand */
        int w = 0;
        const char *head = me ? "goroutine 1 iteration " : "goroutine 0 iteration ";
        while (*head) want[w++] = *head++;
        char digits[24];
        int nd = 0;
        long v = n;
        do { digits[nd++] = (char)('0' + v % 10); v /= 10; } while (v);
        while (nd) want[w++] = digits[--nd];
        want[w] = 0;
        CHECK_MSG(strncmp(text, want, (size_t)w) == 0, "snprintf wrote \"%s\", want it to start \"%s\"", text, want);
        n++;
        ST(iterations[me], n);
    }
    free(src);
    free(dst);
    gort_wg_done(&wg);
}

static void tick_reader(void *arg)
{
    gort_ticker *t = arg;
    for (;;) {
        CHECK(gort_chan_recv(gort_ticker_chan(t), NULL));
        if (now_ns() >= end_at) break;
        ticks++;
    }
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    PRE_SKIP_UNLESS_ASYNC();
    CHECK_EQ_INT(gort_gomaxprocs(0), 1);
    end_at = now_ns() + MS(RUN_MS);
    gort_ticker *t = gort_ticker_new(MS(1));
    gort_wg_add(&wg, 3);
    go(tick_reader, t);
    go(libc_loop, (void *)0);
    go(libc_loop, (void *)1);
    gort_wg_wait(&wg);
    gort_ticker_free(t);
    NOTE("%d ticks of 1 ms received in %d ms; %ld and %ld iterations of the loops\n", ticks, RUN_MS,
         LD(iterations[0]), LD(iterations[1]));
    CHECK_MSG(LD(iterations[0]) > 0 && LD(iterations[1]) > 0, "a loop never ran");
    CHECK_MSG(ticks >= MIN_TICKS, "only %d ticks received in %d ms next to 2 loops calling libc (want >= %d)", ticks,
              RUN_MS, MIN_TICKS);
    return 0;
}

GORT_MAIN(main_fn)
