// Go's daisy chain: 10,000 goroutines connected by unbuffered channels, each
// receiving from its right neighbour, adding 1 and sending to its left; the
// value put in at the right end comes out at the left end plus 10,000.  Each
// goroutine holds its own references and drops them when done.
#include "check.h"

#define N 10000

typedef struct { gort_chan *left, *right; } link_args;
static link_args links[N];
static gort_waitgroup wg;

static void link_fn(void *arg)
{
    link_args *a = (link_args *)arg;
    int64_t v;
    CHECK(gort_chan_recv(a->right, &v));
    v += 1;
    gort_chan_send(a->left, &v);
    gort_chan_unref(a->right);
    gort_chan_unref(a->left);
    gort_wg_done(&wg);
}

static void start(void *arg)
{
    gort_chan *c = (gort_chan *)arg;
    int64_t v = 1000;
    gort_chan_send(c, &v);
    gort_chan_unref(c);
    gort_wg_done(&wg);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    SKIP_UNDER_TSAN(TSAN_MANY_GOROUTINES);
    gort_chan *leftmost = gort_chan_make(sizeof(int64_t), 0);
    gort_chan *left = leftmost, *right = leftmost;
    gort_wg_add(&wg, N + 1);
    gort_chan_ref(leftmost);                 /* main's, for the final receive */
    for (int i = 0; i < N; i++) {
        right = gort_chan_make(sizeof(int64_t), 0);
        gort_chan_ref(right);                /* one for this link, one for the next */
        links[i] = (link_args){left, right};
        go(link_fn, &links[i]);
        left = right;
    }
    go(start, right);
    int64_t v = 0;
    CHECK(gort_chan_recv(leftmost, &v));
    CHECK_EQ_INT(v, 1000 + N);
    gort_wg_wait(&wg);
    gort_chan_unref(leftmost);
    return 0;
}

GORT_MAIN(main_fn)
