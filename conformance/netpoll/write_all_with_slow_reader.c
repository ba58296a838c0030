// gort_write writes all n bytes, parking as often as needed: 4 MiB written
// with one gort_write into a socketpair (send buffer shrunk to 32 KiB) whose
// reader goroutine takes it in chunks of 1..4096 bytes with gort_read,
// sleeping 1 ms after every 32nd chunk.  gort_write returns 4 MiB (4194304);
// when it returns the reader has already consumed at least 3 MiB (the
// writer really waited for it: the kernel cannot hold the rest), and the
// reader saw it parked in the poller (`[IO wait]` in gort_dump after one of
// its 1 ms sleeps), not blocking a thread; the reader gets every byte, in
// order, then EOF after the writer closes.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "np.h"

#define TOTAL (4u << 20)

static int sv[2];
static unsigned char *src;
static gort_waitgroup wg;
static _Atomic size_t consumed;
static _Atomic int64_t write_returned;
static int writer_parked_seen;              /* the reader saw the writer in [IO wait] */

static unsigned char pattern(size_t k) { return (unsigned char)((k ^ (k >> 8) ^ (k >> 16)) * 31u + 7u); }

static void writer(void *arg)
{
    (void)arg;
    int64_t t0 = now_ns();
    ssize_t w = gort_write(sv[0], src, TOTAL, NULL);
    CHECK_MSG(w == (ssize_t)TOTAL, "gort_write of %u bytes returned %zd (%s)", TOTAL, w, np_strerror(w));
    size_t seen = atomic_load(&consumed);
    atomic_store(&write_returned, 1);
    NOTE("gort_write of 4 MiB returned after %lld ms; the reader had consumed %zu bytes\n",
         (long long)((now_ns() - t0) / 1000000), seen);
    CHECK_MSG(seen >= (3u << 20), "gort_write returned when the reader had consumed only %zu bytes", seen);
    CHECK_EQ_INT(close(sv[0]), 0);
    gort_wg_done(&wg);
}

static void reader(void *arg)
{
    (void)arg;
    static unsigned char buf[4096];
    uint64_t seed = 42;
    size_t got = 0;
    for (int chunk = 1;; chunk++) {
        size_t want = 1 + (size_t)(rand_next(&seed) % sizeof buf);
        ssize_t r = gort_read(sv[1], buf, want, NULL);
        CHECK_MSG(r >= 0, "gort_read returned %zd (%s)", r, np_strerror(r));
        if (r == 0) break;
        CHECK_LE_INT(r, want);
        for (ssize_t i = 0; i < r; i++)
            CHECK_MSG(buf[i] == pattern(got + (size_t)i), "byte %zu is %d; want %d", got + (size_t)i,
                      buf[i], pattern(got + (size_t)i));
        got += (size_t)r;
        atomic_store(&consumed, got);
        if (chunk % 32 == 0) {
            gort_sleep(MS(1));
            if (!atomic_load(&write_returned) && np_count_io_wait() > 0) writer_parked_seen++;
        }
    }
    CHECK_EQ_INT(atomic_load(&write_returned), 1);
    CHECK_MSG(writer_parked_seen > 0, "the writer was never seen parked ([IO wait]) while the reader lagged");
    CHECK_MSG(got == TOTAL, "the reader got %zu of %u bytes before EOF", got, TOTAL);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    src = (unsigned char *)malloc(TOTAL);
    CHECK(src != NULL);
    for (size_t k = 0; k < TOTAL; k++) src[k] = pattern(k);
    np_socketpair(sv);
    int small = 32 * 1024;
    CHECK_EQ_INT(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    gort_wg_add(&wg, 2);
    go(reader, NULL);
    go(writer, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(close(sv[1]), 0);
    free(src);
    return 0;
}

GORT_MAIN(main_fn)
