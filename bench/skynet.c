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

#include "gbench.h"

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
    gbench_counter(st, "per_goroutine", (double)NODES,
                   GBENCH_COUNTER_RATE | GBENCH_COUNTER_ITERATION_INVARIANT |
                       GBENCH_COUNTER_INVERT);
}

static void bm_skynet_gort(gbench_state *st) { gort_run(skynet_gort_loop, st); }

/* ---- registration ---------------------------------------------------------- */

static int cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    return CPU_COUNT(&set);
}

static gbench_bm *timed(gbench_bm *b)
{
    gbench_bm_use_real_time(b);
    gbench_bm_measure_process_cpu_time(b);
    return b;
}

static void procs_args(gbench_bm *b)
{
    int n = cpus();
    gbench_bm_arg_name(b, "procs");
    gbench_bm_arg(b, 1);
    if (n >= 2)
        gbench_bm_arg(b, 2);
    if (n > 2)
        gbench_bm_arg(b, n);
}

GBENCH_SETUP(register_skynet)
{
    procs_args(gbench_bm_unit(timed(gbench_register("skynet/gort", bm_skynet_gort)), GBENCH_MS));
}

int main(int argc, char **argv)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d", gort_num_cpu());
    gbench_add_context("gort_num_cpu", buf);
    snprintf(buf, sizeof buf, "%d.%d.%d", GORT_VERSION_MAJOR, GORT_VERSION_MINOR,
             GORT_VERSION_PATCH);
    gbench_add_context("gort_version", buf);
    return gbench_main(argc, argv);
}
