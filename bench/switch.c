/*
 * switch.c — benchmark 2 of the suite (bench/SUITE.md): what it costs to pass
 * control from one task to another.  gort against pthreads in the same run.
 *
 *   yield/gort                          two goroutines on one P call gort_yield
 *                                       in turn; per_switch = time / 2 per
 *                                       iteration (one yield each)
 *   pingpong/gort_unbuffered/procs:P    a round trip over two unbuffered
 *                                       channels (A sends, B answers), P = 1, 2
 *   pingpong/gort_buffered1/procs:P     the same over channels of capacity 1
 *   pingpong/pthread_condvar/cpus:C     two threads, one mutex, a condvar per
 *                                       direction and a turn flag
 *   pingpong/pthread_futex/cpus:C       two threads, one atomic turn word,
 *                                       FUTEX_WAIT / FUTEX_WAKE (private)
 *   pingpong/pthread_pipe/cpus:C        two threads, two pipes, one byte each way
 *
 * C = 1 pins both threads to the first CPU of the affinity mask (every hand-off
 * is a context switch on that CPU); C = 2 pins them to the first two (every
 * hand-off wakes a thread on the other CPU: ~30 us each way, as measured on
 * the project's 2-CPU KVM VMs with halt-polling off, where this was written).  The pthread baselines block in the
 * kernel; none spins, which is what a condvar or pipe user gets.
 *
 * The pthread loop runs on thread A, not on Google Benchmark's thread, so
 * that both ends can be pinned without changing the benchmark thread's
 * affinity; the gbench_state calls work from any thread (gbench.h).  The
 * gort loop runs in a goroutine entered with gort_run.
 *
 *   build/bench/bench_switch [--benchmark_filter=pingpong/]
 */
#define _GNU_SOURCE
#include <gort.h>
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"


/* ---- gort: yield ----------------------------------------------------------- */

static atomic_bool yield_stop;

static void yield_partner(void *wg)
{
    while (!atomic_load_explicit(&yield_stop, memory_order_relaxed))
        gort_yield();
    gort_wg_done(wg);
}

static void yield_loop(void *arg)
{
    gbench_state *st = arg;
    int prev = gort_gomaxprocs(1);
    gort_waitgroup wg = {0};
    atomic_store(&yield_stop, false);
    gort_wg_add(&wg, 1);
    gort_go(yield_partner, &wg);
    gort_yield();   /* let the partner start before the clock does */
    GBENCH_LOOP(st) {
        gort_yield();
    }
    atomic_store(&yield_stop, true);
    gort_wg_wait(&wg);
    gort_gomaxprocs(prev);
    bench_report_per(st, "per_switch", 2);
}

static void bm_yield_gort(gbench_state *st) { gort_run(yield_loop, st); }

/* ---- gort: channel ping-pong ----------------------------------------------- */

typedef struct {
    gort_chan *ping, *pong;
    gort_waitgroup done;
} gort_pair;

static void pong_side(void *arg)
{
    gort_pair *p = arg;
    int64_t v;
    while (gort_chan_recv(p->ping, &v))
        gort_chan_send(p->pong, &v);
    gort_wg_done(&p->done);
}

static void pingpong_gort_loop(void *arg)
{
    gbench_state *st = arg;
    size_t cap = (size_t)(uintptr_t)gbench_data(st);
    int prev = gort_gomaxprocs((int)gbench_range(st, 0));
    gort_pair p = {gort_chan_make(sizeof(int64_t), cap), gort_chan_make(sizeof(int64_t), cap),
                   {0}};
    gort_wg_add(&p.done, 1);
    gort_go(pong_side, &p);
    int64_t v = 0, sum = 0;
    while (gbench_keep_running(st)) {
        gort_chan_send(p.ping, &v);
        gort_chan_recv(p.pong, &v);
        v++;
    }
    sum += v;
    gbench_do_not_optimize(sum);
    gort_chan_close(p.ping);
    gort_wg_wait(&p.done);
    gort_chan_unref(p.ping);
    gort_chan_unref(p.pong);
    gort_gomaxprocs(prev);
    bench_report_per(st, "per_round_trip", 1);
}

static void bm_pingpong_gort(gbench_state *st) { gort_run(pingpong_gort_loop, st); }

/* ---- pthreads: the two-thread frame ---------------------------------------- */

/* One pthread baseline: side_a runs the timed loop and stops side_b. */
typedef struct {
    const char *what;
    void *(*side_a)(void *);
    void *(*side_b)(void *);
    bool (*setup)(void *shared);     /* false: failed, errno set */
    void (*teardown)(void *shared);
} pthread_pingpong;

typedef struct {
    gbench_state *st;
    void *shared;     /* the method's own state */
} pp_ctx;

static void run_pthread_pingpong(gbench_state *st, const pthread_pingpong *m, void *shared)
{
    int cpu[2] = { 0, 0 };
    int want = (int)gbench_range(st, 0);
    if (bench_first_cpus(want, cpu) < want) {
        gbench_skip_with_error(st, "not enough CPUs in the affinity mask");
        return;
    }
    if (want == 1)
        cpu[1] = cpu[0];
    if (!m->setup(shared)) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s setup failed: %s", m->what, strerror(errno));
        gbench_skip_with_error(st, msg);
        return;
    }
    pp_ctx ctx = {st, shared};
    pthread_t a, b;
    int e = bench_start_pinned(&b, cpu[1], m->side_b, &ctx);
    if (e == 0) {
        e = bench_start_pinned(&a, cpu[0], m->side_a, &ctx);
        if (e == 0) {
            pthread_join(a, NULL);
        } else {
            /* side_b waits for a message that will not come: side_a, run
             * here after the error, skips its loop and stops side_b. */
            gbench_skip_with_error(st, strerror(e));
            m->side_a(&ctx);
        }
        pthread_join(b, NULL);
    } else {
        gbench_skip_with_error(st, strerror(e));
    }
    m->teardown(shared);
    bench_report_per(st, "per_round_trip", 1);
}

/* ---- pthreads: mutex + condvar ----------------------------------------------- */

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t to_b, to_a;
    int turn;          /* 0: A's, 1: B's, 2: stop */
} condvar_pp;

static bool condvar_setup(void *p)
{
    condvar_pp *c = p;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->to_a, NULL);
    pthread_cond_init(&c->to_b, NULL);
    c->turn = 0;
    return true;
}

static void condvar_teardown(void *p)
{
    condvar_pp *c = p;
    pthread_cond_destroy(&c->to_a);
    pthread_cond_destroy(&c->to_b);
    pthread_mutex_destroy(&c->mu);
}

static void condvar_give(condvar_pp *c, int turn, pthread_cond_t *cv)
{
    pthread_mutex_lock(&c->mu);
    c->turn = turn;
    pthread_cond_signal(cv);
    pthread_mutex_unlock(&c->mu);
}

static void *condvar_a(void *arg)
{
    pp_ctx *x = arg;
    condvar_pp *c = x->shared;
    while (gbench_keep_running(x->st)) {
        pthread_mutex_lock(&c->mu);
        c->turn = 1;
        pthread_cond_signal(&c->to_b);
        while (c->turn == 1)
            pthread_cond_wait(&c->to_a, &c->mu);
        pthread_mutex_unlock(&c->mu);
    }
    condvar_give(c, 2, &c->to_b);
    return NULL;
}

static void *condvar_b(void *arg)
{
    pp_ctx *x = arg;
    condvar_pp *c = x->shared;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (c->turn == 0)
            pthread_cond_wait(&c->to_b, &c->mu);
        if (c->turn == 2)
            break;
        c->turn = 0;
        pthread_cond_signal(&c->to_a);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* ---- pthreads: raw futex ------------------------------------------------------ */

typedef struct {
    _Atomic uint32_t turn;   /* 0: A's, 1: B's, 2: stop */
} futex_pp;

static void futex_wait(_Atomic uint32_t *w, uint32_t val)
{
    syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *w)
{
    syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static bool futex_setup(void *p)
{
    atomic_store(&((futex_pp *)p)->turn, 0);
    return true;
}

static void futex_teardown(void *p) { (void)p; }

static void *futex_a(void *arg)
{
    pp_ctx *x = arg;
    futex_pp *f = x->shared;
    while (gbench_keep_running(x->st)) {
        atomic_store(&f->turn, 1);
        futex_wake(&f->turn);
        while (atomic_load(&f->turn) == 1)
            futex_wait(&f->turn, 1);
    }
    atomic_store(&f->turn, 2);
    futex_wake(&f->turn);
    return NULL;
}

static void *futex_b(void *arg)
{
    pp_ctx *x = arg;
    futex_pp *f = x->shared;
    for (;;) {
        uint32_t t;
        while ((t = atomic_load(&f->turn)) == 0)
            futex_wait(&f->turn, 0);
        if (t == 2)
            return NULL;
        atomic_store(&f->turn, 0);
        futex_wake(&f->turn);
    }
}

/* ---- pthreads: pipes ------------------------------------------------------------ */

typedef struct {
    int to_b[2], to_a[2];
} pipe_pp;

static bool pipe_setup(void *p)
{
    pipe_pp *q = p;
    if (pipe(q->to_b) != 0)
        return false;
    if (pipe(q->to_a) != 0) {
        close(q->to_b[0]);
        close(q->to_b[1]);
        return false;
    }
    return true;
}

static void pipe_teardown(void *p)
{
    pipe_pp *q = p;
    close(q->to_b[0]);
    close(q->to_a[0]);
    close(q->to_a[1]);
    /* to_b[1] was closed by side A to stop side B. */
}

static void *pipe_a(void *arg)
{
    pp_ctx *x = arg;
    pipe_pp *q = x->shared;
    char byte = 'x';
    while (gbench_keep_running(x->st)) {
        if (write(q->to_b[1], &byte, 1) != 1 || read(q->to_a[0], &byte, 1) != 1) {
            gbench_skip_with_error(x->st, strerror(errno));
            break;
        }
    }
    close(q->to_b[1]);   /* side B reads end-of-file */
    return NULL;
}

static void *pipe_b(void *arg)
{
    pp_ctx *x = arg;
    pipe_pp *q = x->shared;
    char byte;
    while (read(q->to_b[0], &byte, 1) == 1)
        if (write(q->to_a[1], &byte, 1) != 1)
            break;
    return NULL;
}

static const pthread_pingpong condvar_method = {"condvar", condvar_a, condvar_b, condvar_setup,
                                                condvar_teardown};
static const pthread_pingpong futex_method = {"futex", futex_a, futex_b, futex_setup,
                                              futex_teardown};
static const pthread_pingpong pipe_method = {"pipe", pipe_a, pipe_b, pipe_setup, pipe_teardown};

static void bm_pingpong_condvar(gbench_state *st)
{
    condvar_pp c;
    run_pthread_pingpong(st, &condvar_method, &c);
}

static void bm_pingpong_futex(gbench_state *st)
{
    futex_pp f;
    run_pthread_pingpong(st, &futex_method, &f);
}

static void bm_pingpong_pipe(gbench_state *st)
{
    pipe_pp q;
    run_pthread_pingpong(st, &pipe_method, &q);
}

/* ---- registration ------------------------------------------------------------- */

static int cpus_available(void)
{
    int cpu[2] = { 0, 0 };
    return bench_first_cpus(2, cpu);
}

static void arg_upto2(gbench_bm *b, const char *name)
{
    gbench_bm_arg_name(b, name);
    gbench_bm_arg(b, 1);
    if (cpus_available() >= 2)
        gbench_bm_arg(b, 2);
}

GBENCH_SETUP(register_switch)
{
    bench_timed(gbench_register("yield/gort", bm_yield_gort));

    arg_upto2(bench_timed(gbench_register_data("pingpong/gort_unbuffered", bm_pingpong_gort,
                                         (void *)(uintptr_t)0)),
              "procs");
    arg_upto2(bench_timed(gbench_register_data("pingpong/gort_buffered1", bm_pingpong_gort,
                                         (void *)(uintptr_t)1)),
              "procs");
    arg_upto2(bench_timed(gbench_register("pingpong/pthread_condvar", bm_pingpong_condvar)), "cpus");
    arg_upto2(bench_timed(gbench_register("pingpong/pthread_futex", bm_pingpong_futex)), "cpus");
    arg_upto2(bench_timed(gbench_register("pingpong/pthread_pipe", bm_pingpong_pipe)), "cpus");
}

int main(int argc, char **argv) { return bench_main(argc, argv); }
