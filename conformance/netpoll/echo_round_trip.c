// An echo round trip through gort_read/gort_write on a socketpair (created
// blocking): one goroutine echoes whatever gort_read returns until EOF;
// another sends 1 KiB in pieces of 1..400 bytes (one gort_write each) and
// reads the 1 KiB back with gort_read, 1,000 times.  Every round's bytes come
// back identical and in order; after the client's shutdown(SHUT_WR) the echo
// goroutine's gort_read returns 0 (EOF), it has echoed exactly 1,024,000
// bytes, and its close makes the client's gort_read return 0 too.
// gort-test: env=GOMAXPROCS=2
// gort-test: timeout=60
#include "np.h"

#define ROUNDS 1000
#define MSG 1024

static int sv[2];
static gort_waitgroup wg;
static _Atomic long long echoed;

static void echo(void *arg)
{
    (void)arg;
    char buf[4096];
    for (;;) {
        ssize_t r = gort_read(sv[1], buf, sizeof buf, NULL);
        CHECK_MSG(r >= 0, "echo: gort_read: %s", np_strerror(r));
        if (r == 0) break;
        ssize_t w = gort_write(sv[1], buf, (size_t)r, NULL);
        CHECK_MSG(w == r, "echo: gort_write of %zd returned %zd (%s)", r, w, np_strerror(w));
        atomic_fetch_add(&echoed, r);
    }
    CHECK_EQ_INT(close(sv[1]), 0);
    gort_wg_done(&wg);
}

static void client(void *arg)
{
    (void)arg;
    uint64_t seed = 0x5eed;
    unsigned char out[MSG], in[MSG];
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < MSG; i++) out[i] = (unsigned char)(rand_next(&seed) >> 56);
        size_t off = 0;
        while (off < MSG) {
            size_t piece = 1 + (size_t)(rand_next(&seed) % 400);
            if (piece > MSG - off) piece = MSG - off;
            ssize_t w = gort_write(sv[0], out + off, piece, NULL);
            CHECK_MSG(w == (ssize_t)piece, "round %d: gort_write of %zu returned %zd (%s)", round,
                      piece, w, np_strerror(w));
            off += piece;
        }
        memset(in, 0, sizeof in);
        ssize_t r = np_read_full(sv[0], in, MSG, NULL);
        CHECK_MSG(r == MSG, "round %d: read back %zd of %d bytes (%s)", round, r, MSG, np_strerror(r));
        CHECK_MSG(memcmp(in, out, MSG) == 0, "round %d: the echoed bytes differ", round);
    }
    CHECK_EQ_INT(shutdown(sv[0], SHUT_WR), 0);
    char c;
    CHECK_EQ_INT(gort_read(sv[0], &c, 1, NULL), 0);   /* the echo goroutine closed its end */
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    np_socketpair(sv);
    gort_wg_add(&wg, 2);
    int64_t t0 = now_ns();
    go(echo, NULL);
    go(client, NULL);
    gort_wg_wait(&wg);
    CHECK_EQ_INT(atomic_load(&echoed), (long long)ROUNDS * MSG);
    NOTE("%d echo round trips of %d bytes in %lld ms\n", ROUNDS, MSG,
         (long long)((now_ns() - t0) / 1000000));
    CHECK_EQ_INT(close(sv[0]), 0);
    return 0;
}

GORT_MAIN(main_fn)
