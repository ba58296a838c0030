// gort_recover returns NULL everywhere but in a deferred call of a
// panicking goroutine: in main's and a goroutine's ordinary code, on a plain
// thread, in a deferred call run because the goroutine returned or called
// gort_exit (Goexit is not a panic), and in a deferred call of a goroutine
// that is not panicking while another goroutine is (the panic state is per
// goroutine: the panicking one, parked inside its deferred call meanwhile,
// then recovers its own message).  A NULL result stops nothing: the
// goroutine ends as it would have.
#include "check.h"

#include <pthread.h>

static gort_waitgroup wg;
static _Atomic int results[8];          /* 1: NULL as expected, 2: non-NULL */

static void record(int slot, const char *r) { atomic_store(&results[slot], r == NULL ? 1 : 2); }

/* 0: ordinary goroutine code */
static void plain_code(void *arg) { (void)arg; record(0, gort_recover()); gort_wg_done(&wg); }

/* 1: deferred call run at a normal return */
static void d_on_return(void *arg) { (void)arg; record(1, gort_recover()); gort_wg_done(&wg); }
static void returns(void *arg) { (void)arg; gort_defer(d_on_return, NULL); }

/* 2: deferred call run by gort_exit */
static void d_on_exit(void *arg) { (void)arg; record(2, gort_recover()); gort_wg_done(&wg); }
static void exits(void *arg) { (void)arg; gort_defer(d_on_exit, NULL); gort_exit(); }

/* 3: one goroutine panics and waits inside its deferred call while
 * another, not panicking, runs a deferred call and asks */
static gort_chan *gate;                 /* the panicker's deferred call waits on it */
static gort_chan *entered;              /* the panicker says it is in its deferred call */
static char panicker_got[64];
static void d_panicker(void *arg)
{
    (void)arg;
    gort_chan_send(entered, NULL);
    (void)gort_chan_recv(gate, NULL);  /* closed by main */
    const char *m = gort_recover();
    snprintf(panicker_got, sizeof panicker_got, "%s", m ? m : "(null)");
    gort_wg_done(&wg);
}
static void panicker(void *arg) { (void)arg; gort_defer(d_panicker, NULL); gort_panic("mine"); }
static void d_bystander(void *arg) { (void)arg; record(3, gort_recover()); gort_wg_done(&wg); }
static void bystander(void *arg) { (void)arg; gort_defer(d_bystander, NULL); }

/* 5: a plain thread */
static void *thread_fn(void *arg) { (void)arg; record(5, gort_recover()); return NULL; }

/* 6: main's own deferred call when main returns: checked by the exit status */
static void d_main(void *arg)
{
    (void)arg;
    if (gort_recover() != NULL) {
        check_fdprintf(2, "gort_recover in main's deferred call at return was not NULL\n");
        _exit(1);
    }
}

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    gort_defer(d_main, NULL);
    CHECK(gort_recover() == NULL);      /* main's ordinary code */

    gort_wg_add(&wg, 3);
    go(plain_code, NULL);
    go(returns, NULL);
    go(exits, NULL);
    gort_wg_wait(&wg);

    gate = gort_chan_make(0, 0);
    entered = gort_chan_make(0, 0);
    gort_wg_add(&wg, 2);
    go(panicker, NULL);
    CHECK(gort_chan_recv(entered, NULL));   /* the panicker is inside its deferred call */
    go(bystander, NULL);
    int64_t deadline = now_ns() + MS(5000);
    while (atomic_load(&results[3]) == 0 && now_ns() < deadline) gort_sleep(US(200));
    gort_chan_close(gate);
    gort_wg_wait(&wg);

    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, thread_fn, NULL), 0);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);

    CHECK_EQ_INT(atomic_load(&results[0]), 1);
    CHECK_EQ_INT(atomic_load(&results[1]), 1);
    CHECK_EQ_INT(atomic_load(&results[2]), 1);
    CHECK_EQ_INT(atomic_load(&results[3]), 1);
    CHECK_EQ_INT(atomic_load(&results[5]), 1);
    CHECK_MSG(strcmp(panicker_got, "mine") == 0, "the panicking goroutine recovered \"%s\"", panicker_got);
    CHECK(gort_recover() == NULL);
    CHECK_EQ_INT(wait_num_goroutine_at_most(1, MS(5000)), 1);
    gort_chan_unref(gate);
    gort_chan_unref(entered);
    return 0;
}

GORT_MAIN(main_fn)
