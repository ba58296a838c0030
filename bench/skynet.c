/*
 * skynet.c — the skynet tree (bench/SUITE.md, group `skynet`): a node of
 * size 1 sends its number to its parent; a larger node spawns 10 children
 * of size/10 (child i numbered num + i·size/10) and sends the sum of their
 * 10 replies.  The root has size 1,000,000 and number 0; the answer is
 * 499999500000.
 *
 *   skynet/gort/procs:P    GOMAXPROCS = P (1, 2, and the CPU count)
 *
 * One iteration is one whole tree: the loop's goroutine spawns the root and
 * receives its reply; 1,111,111 goroutines (every node, root included) are
 * spawned, each runs, replies and ends.  The sum is checked every
 * iteration (a wrong one fails the run).  `per_goroutine` = time /
 * 1,111,111, and items_per_second counts the same nodes.
 *
 * As Go's skynet (`rc := make(chan int)`, children `c <- num`), each inner
 * node makes one unbuffered channel for its children's replies and
 * receives the 10 of them in whatever order they come; the loop's goroutine
 * plays the root's parent with its own channel.  C has no garbage
 * collector, so the references are explicit: a parent takes one reference
 * on its channel per child before spawning it, each child drops its own
 * after its send, and the parent drops the one from gort_chan_make after
 * the 10th reply; the last holder frees it.  A child's arguments (number,
 * size, parent's channel) live in an array in its parent's frame, which
 * lasts until all 10 children have replied, so nodes need no malloc (Go
 * copies them into the new goroutine).
 *
 * Times are wall-clock; CPU is the whole process's.  The loop runs inside
 * one goroutine (gort_run from the benchmark function), as in spawn.c.
 *
 *   build/bench/bench_skynet [--benchmark_filter=procs:1] [--benchmark_format=json]
 */
#define _GNU_SOURCE
#include <gort.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>

#include "common.h"

enum { ROOT_SIZE = 1000000, FANOUT = 10, NODES = 1111111 };
#define ANSWER INT64_C(499999500000)

typedef struct {
    int64_t    num, size;
    gort_chan *parent;   /* a reference owned by this node, dropped after its send */
} node_args;

static void node(void *arg)
{
    const node_args *a = arg;
    int64_t num = a->num, size = a->size;
    gort_chan *parent = a->parent;
    /* a (in the parent's frame) must not be read after the send below. */
    if (size == 1) {
        gort_chan_send(parent, &num);
        gort_chan_unref(parent);
        return;
    }
    gort_chan *rc = gort_chan_make(sizeof(int64_t), 0);
    node_args child[FANOUT];
    int64_t sub = size / FANOUT;
    for (int i = 0; i < FANOUT; i++) {
        child[i] = (node_args){.num = num + i * sub, .size = sub, .parent = gort_chan_ref(rc)};
        gort_go(node, &child[i]);
    }
    int64_t sum = 0, v;
    for (int i = 0; i < FANOUT; i++) {
        if (!gort_chan_recv(rc, &v))   /* never closed: cannot happen */
            gort_panic("skynet: reply channel closed");
        sum += v;
    }
    gort_chan_unref(rc);
    gort_chan_send(parent, &sum);
    gort_chan_unref(parent);
}

static void skynet_gort_loop(void *arg)
{
    gbench_state *st = arg;
    int prev = gort_gomaxprocs((int)gbench_range(st, 0));
    while (gbench_keep_running(st)) {
        gort_chan *rc = gort_chan_make(sizeof(int64_t), 0);
        node_args root = {.num = 0, .size = ROOT_SIZE, .parent = gort_chan_ref(rc)};
        gort_go(node, &root);
        int64_t sum = 0;
        bool ok = gort_chan_recv(rc, &sum);
        gort_chan_unref(rc);
        if (!ok || sum != ANSWER) {
            char msg[96];
            snprintf(msg, sizeof msg, "skynet sum %lld, want %lld", (long long)sum,
                     (long long)ANSWER);
            gbench_skip_with_error(st, msg);
            break;
        }
    }
    gort_gomaxprocs(prev);
    gbench_set_items_processed(st, gbench_iterations(st) * NODES);
    bench_report_per(st, "per_goroutine", (double)NODES);
}

static void bm_skynet_gort(gbench_state *st) { gort_run(skynet_gort_loop, st); }

/* ---- registration ---------------------------------------------------------- */

GBENCH_SETUP(register_skynet)
{
    bench_procs_args(gbench_bm_unit(bench_timed(gbench_register("skynet/gort", bm_skynet_gort)), GBENCH_MS));
}

int main(int argc, char **argv) { return bench_main(argc, argv); }
