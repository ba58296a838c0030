// A channel copies each element whole, byte for byte, and nothing beyond
// it, whatever the element size (1 to 1000 bytes, the word sizes the
// runtime copies inline among them) and whichever way the value travels:
// through the buffer, handed from a sender to a receiver already waiting,
// taken by a receiver from a sender already waiting, and through select.
// Every byte of each value is non-zero and differs from its neighbours (a
// copy that drops or repeats a byte shows), and the receiver's bytes just
// past the element keep their guard value.
#include "check.h"

#define GUARD 0xA5
#define MAXSZ 1000

static const size_t sizes[] = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 32, 64, 1000 };

static void fill(unsigned char *v, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (unsigned char)(1 + (seed * 37 + i * 11) % 251);   /* 1..251, never 0 */
}

static void check_received(const unsigned char *got, size_t n, unsigned seed, const char *how)
{
    unsigned char want[MAXSZ];
    fill(want, n, seed);
    for (size_t i = 0; i < n; i++)
        CHECK_MSG(got[i] == want[i], "%s, %zu-byte element: byte %zu is 0x%02x, want 0x%02x", how, n, i,
                  got[i], want[i]);
    for (size_t i = n; i < n + 8; i++)
        CHECK_MSG(got[i] == GUARD, "%s, %zu-byte element: byte %zu past the element was written", how, n,
                  i - n);
}

static bool dump_shows(const char *state)
{
    char *d = dump_to_string();
    bool yes = d && strstr(d, state) != NULL;
    free(d);
    return yes;
}

typedef struct job { gort_chan *c; size_t n; unsigned seed; gort_waitgroup *done; } job;

static void sender(void *arg)
{
    job *j = arg;
    unsigned char v[MAXSZ];
    fill(v, j->n, j->seed);
    gort_chan_send(j->c, v);
    gort_wg_done(j->done);
}

static void receiver(void *arg)
{
    job *j = arg;
    unsigned char got[MAXSZ + 8];
    memset(got, GUARD, sizeof got);
    CHECK(gort_chan_recv(j->c, got));
    check_received(got, j->n, j->seed, "to a waiting receiver");
    gort_wg_done(j->done);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        unsigned char v[MAXSZ], got[MAXSZ + 8];

        /* through the buffer */
        gort_chan *b = gort_chan_make(n, 3);
        for (unsigned s = 0; s < 3; s++) {
            fill(v, n, s);
            gort_chan_send(b, v);
        }
        for (unsigned s = 0; s < 3; s++) {
            memset(got, GUARD, sizeof got);
            CHECK(gort_chan_recv(b, got));
            check_received(got, n, s, "through the buffer");
        }
        gort_chan_unref(b);

        gort_chan *u = gort_chan_make(n, 0);
        gort_waitgroup wg = { 0 };

        /* a receiver waits; the sender hands its value over */
        job j = { u, n, 100 + (unsigned)k, &wg };
        gort_wg_add(&wg, 1);
        go(receiver, &j);
        while (!dump_shows("[chan receive]"))
            gort_yield();
        fill(v, n, j.seed);
        gort_chan_send(u, v);
        gort_wg_wait(&wg);

        /* a sender waits; the receiver takes its value */
        j.seed = 200 + (unsigned)k;
        gort_wg_add(&wg, 1);
        go(sender, &j);
        while (!dump_shows("[chan send]"))
            gort_yield();
        memset(got, GUARD, sizeof got);
        CHECK(gort_chan_recv(u, got));
        check_received(got, n, j.seed, "from a waiting sender");
        gort_wg_wait(&wg);

        /* through select: a receive case with a waiting sender */
        j.seed = 300 + (unsigned)k;
        gort_wg_add(&wg, 1);
        go(sender, &j);
        memset(got, GUARD, sizeof got);
        gort_case cs[1] = { { GORT_RECV, u, got, false } };
        CHECK_EQ_INT(gort_select(cs, 1, true), 0);
        CHECK(cs[0].ok);
        check_received(got, n, j.seed, "through select");
        gort_wg_wait(&wg);
        gort_chan_unref(u);
    }
    printf("ok\n");
    return 0;
}

GORT_MAIN(main_fn)
