// Cancelling a context reaches every descendant, synchronously: a tree of
// 10,000 contexts below `root` (a chain 100 deep, each link with 99 children
// of mixed kinds — cancel, timeout, value-then-cancel, grandchildren — so the
// tree is both wide and deep) is entirely canceled, err GORT_CANCELED and
// done closed, when gort_ctx_cancel(root) returns.  Cancellation reaches only
// them: root's parent and root's sibling stay live.
// gort-test: env=GOMAXPROCS=2
#include "check.h"

#define DEPTH 100
#define WIDTH 99            /* DEPTH * (1 + WIDTH) == 10,000 */

static gort_ctx *nodes[DEPTH * (1 + WIDTH)];
static int nn;
static int key;

static void check_canceled(gort_ctx *c, int i)
{
    CHECK_MSG(gort_ctx_err(c) == GORT_CANCELED, "node %d err %d", i, gort_ctx_err(c));
    bool ok = true;
    CHECK_MSG(gort_chan_try_recv(gort_ctx_done(c), NULL, &ok) && !ok, "node %d: done not closed", i);
}

static void check_live(gort_ctx *c, const char *what)
{
    CHECK_MSG(gort_ctx_err(c) == 0, "%s err %d", what, gort_ctx_err(c));
    CHECK_MSG(!gort_chan_try_recv(gort_ctx_done(c), NULL, NULL), "%s: done closed", what);
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_ctx *top = gort_ctx_with_cancel(gort_ctx_background());
    gort_ctx *root = gort_ctx_with_cancel(top);
    gort_ctx *sib = gort_ctx_with_cancel(top);
    gort_ctx *sib_child = gort_ctx_with_cancel(sib);

    gort_ctx *link = root;
    for (int d = 0; d < DEPTH; d++) {
        gort_ctx *next = gort_ctx_with_cancel(link);
        nodes[nn++] = next;
        for (int w = 0; w < WIDTH; w++) {
            gort_ctx *c;
            switch (w % 4) {
            case 0: c = gort_ctx_with_cancel(link); break;
            case 1: c = gort_ctx_with_timeout(link, MS(60000)); break;
            case 2: {
                gort_ctx *v = gort_ctx_with_value(link, &key, (void *)(intptr_t)w);
                c = gort_ctx_with_cancel(v);
                gort_ctx_unref(v);          /* c keeps it alive */
                break;
            }
            default: {
                int prev = nn - 1;          /* a grandchild, below the previous sibling */
                c = gort_ctx_with_cancel(nodes[prev]);
                break;
            }
            }
            nodes[nn++] = c;
        }
        link = next;
    }
    CHECK_EQ_INT(nn, DEPTH * (1 + WIDTH));
    for (int i = 0; i < nn; i++) check_live(nodes[i], "node before cancel");

    gort_ctx_cancel(root);
    /* nothing else ran in between: every check below sees the state at return */
    check_canceled(root, -1);
    for (int i = 0; i < nn; i++) check_canceled(nodes[i], i);
    check_live(top, "root's parent");
    check_live(sib, "root's sibling");
    check_live(sib_child, "root's sibling's child");

    for (int i = nn - 1; i >= 0; i--) gort_ctx_unref(nodes[i]);
    gort_ctx_unref(root);
    check_live(top, "root's parent after release");
    gort_ctx_cancel(top);
    check_canceled(sib_child, -2);
    gort_ctx_unref(sib_child);
    gort_ctx_unref(sib);
    gort_ctx_unref(top);
    return 0;
}

GORT_MAIN(main_fn)
