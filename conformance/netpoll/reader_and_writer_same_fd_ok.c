// One goroutine reading and another writing on the same socket descriptor
// at the same time is fine (one waiter per direction): on sv[0], a reader
// parks in gort_read (nothing to read) while a writer parks in gort_write
// of 4 MiB (send buffer shrunk to 32 KiB, nobody reading the peer).  Both
// stay parked (100 ms, neither returned, no fatal error; gort_dump shows both
// in `[IO wait]`, i.e. waiting in the poller on the one descriptor, not each
// blocking a thread of its own).  Then the peer
// writes 5 bytes: the reader completes with them while the writer is still
// parked; then the peer reads everything: the writer completes (returns
// 4 MiB) and the peer got every byte in order.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "np.h"

#define TOTAL (4u << 20)

static int sv[2];
static unsigned char *src;
static gort_waitgroup in, reader_wg, writer_wg;
static _Atomic int reader_done, writer_done;
static char rbuf[16];
static _Atomic ssize_t rres, wres;

static unsigned char pattern(size_t k) { return (unsigned char)(k * 13u + (k >> 10)); }

static void reader(void *arg)
{
    (void)arg;
    gort_wg_done(&in);
    ssize_t r = gort_read(sv[0], rbuf, sizeof rbuf, NULL);
    CHECK_MSG(r >= 0, "reader: gort_read returned %zd (%s)", r, np_strerror(r));
    atomic_store(&rres, r);
    atomic_store(&reader_done, 1);
    gort_wg_done(&reader_wg);
}

static void writer(void *arg)
{
    (void)arg;
    gort_wg_done(&in);
    ssize_t w = gort_write(sv[0], src, TOTAL, NULL);
    CHECK_MSG(w >= 0, "writer: gort_write returned %zd (%s)", w, np_strerror(w));
    atomic_store(&wres, w);
    atomic_store(&writer_done, 1);
    gort_wg_done(&writer_wg);
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

    gort_wg_add(&in, 2);
    gort_wg_add(&reader_wg, 1);
    gort_wg_add(&writer_wg, 1);
    go(reader, NULL);
    go(writer, NULL);
    gort_wg_wait(&in);
    gort_sleep(MS(100));
    CHECK_MSG(!atomic_load(&reader_done), "the reader returned %zd with nothing written", atomic_load(&rres));
    CHECK_MSG(!atomic_load(&writer_done), "gort_write of 4 MiB returned %zd with nobody reading",
              atomic_load(&wres));
    int parked = np_count_io_wait();
    CHECK_MSG(parked == 2, "%d goroutines in [IO wait]; want the reader and the writer", parked);

    /* the read direction completes on its own */
    CHECK_EQ_INT(write(sv[1], "hello", 5), 5);
    gort_wg_wait(&reader_wg);
    CHECK_EQ_INT(atomic_load(&rres), 5);
    CHECK(memcmp(rbuf, "hello", 5) == 0);
    gort_sleep(MS(20));
    CHECK_MSG(!atomic_load(&writer_done), "the writer returned %zd though nobody read", atomic_load(&wres));

    /* then the write direction */
    static unsigned char buf[1 << 16];
    size_t got = 0;
    while (got < TOTAL) {
        ssize_t r = read(sv[1], buf, sizeof buf);
        CHECK_MSG(r > 0, "peer read returned %zd (%s) after %zu bytes", r, strerror(np_errno()), got);
        for (ssize_t i = 0; i < r; i++)
            CHECK_MSG(buf[i] == pattern(got + (size_t)i), "byte %zu differs", got + (size_t)i);
        got += (size_t)r;
    }
    gort_wg_wait(&writer_wg);
    CHECK_EQ_INT(atomic_load(&wres), TOTAL);
    CHECK_EQ_INT(close(sv[0]), 0);
    CHECK_EQ_INT(close(sv[1]), 0);
    free(src);
    return 0;
}

GORT_MAIN(main_fn)
