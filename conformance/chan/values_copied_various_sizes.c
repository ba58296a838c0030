// Values are copied, elem_size bytes of them: elements of 1, 8, 24, 4096 (and
// 3 and 100) bytes go through buffered and unbuffered channels and come out
// byte-for-byte equal, even though the sender overwrites its buffer right
// after the send; the bytes next to the receive buffer are not touched; a
// NULL elem on receive discards the value (the next one is still right).
#include "check.h"

#define GUARD 64

static gort_chan *uc;
static size_t cur_size;
static gort_waitgroup wg;

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed * 131u + i * 7u + (i >> 8) + 1u);
}

static void check_bytes(const unsigned char *got, size_t n, unsigned seed, int line)
{
    unsigned char want[4096];
    fill(want, n, seed);
    for (size_t i = 0; i < n; i++)
        CHECK_MSG(got[i] == want[i], "line %d size %zu seed %u: byte %zu is %u, want %u", line, n,
                  seed, i, got[i], want[i]);
}

static void recv_and_check(gort_chan *c, size_t n, unsigned seed, int line)
{
    static unsigned char buf[GUARD + 4096 + GUARD];
    memset(buf, 0xA5, sizeof buf);
    CHECK(gort_chan_recv(c, buf + GUARD));
    check_bytes(buf + GUARD, n, seed, line);
    for (size_t i = 0; i < GUARD; i++) CHECK_MSG(buf[i] == 0xA5, "byte before the element written");
    for (size_t i = GUARD + n; i < sizeof buf; i++)
        CHECK_MSG(buf[i] == 0xA5, "size %zu: byte %zu past the element written", n, i - GUARD - n);
}

static void unbuf_sender(void *arg)
{
    (void)arg;
    unsigned char *b = malloc(cur_size);
    for (unsigned s = 0; s < 10; s++) {
        fill(b, cur_size, s);
        gort_chan_send(uc, b);
        memset(b, 0, cur_size);          /* the receiver must have its own copy */
    }
    free(b);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    static const size_t sizes[] = {1, 3, 8, 24, 100, 4096};
    static unsigned char src[4096];
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];

        /* buffered, with wrap-around */
        gort_chan *c = gort_chan_make(n, 6);   /* len peaks at 6; 12 values wrap the ring */
        unsigned in = 0, out = 0;
        for (int round = 0; round < 4; round++) {
            for (int j = 0; j < 3; j++) {
                fill(src, n, in++);
                gort_chan_send(c, src);
                memset(src, 0, n);
            }
            for (int j = 0; j < 2; j++) recv_and_check(c, n, out++, __LINE__);
        }
        /* discard one with elem NULL, then the next is still intact */
        CHECK_EQ_INT(gort_chan_len(c), 4);   /* 12 sent, 8 received */
        CHECK(gort_chan_recv(c, NULL));
        out++;
        recv_and_check(c, n, out++, __LINE__);
        bool ok = false;
        CHECK(gort_chan_try_recv(c, NULL, &ok));
        CHECK(ok);
        out++;
        recv_and_check(c, n, out++, __LINE__);
        CHECK_EQ_INT(gort_chan_len(c), 0);
        gort_chan_unref(c);

        /* unbuffered: direct hand-off */
        uc = gort_chan_make(n, 0);
        cur_size = n;
        gort_wg_add(&wg, 1);
        go(unbuf_sender, NULL);
        for (unsigned s = 0; s < 10; s++) {
            if (s == 4) {
                CHECK(gort_chan_recv(uc, NULL));       /* discarded */
                continue;
            }
            if (s % 2) gort_sleep(US(500));            /* sender blocked first, sometimes */
            recv_and_check(uc, n, s, __LINE__);
        }
        gort_wg_wait(&wg);
        gort_chan_unref(uc);
    }
    return 0;
}

GORT_MAIN(main_fn)
